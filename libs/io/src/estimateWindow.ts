import { InputError } from './errors.js';
import { grayHistogram, histogramPeaks, otsuThreshold, type HistogramPeak } from './histogramPeaks.js';
import { fitWindow, type WindowFit, type WindowFitPoint } from './windowFit.js';
import type { HuWindow } from './window.js';
import type { AutoWindowConfig } from './config.js';

/** The tissues whose HU is known well enough to anchor a window, darkest first. */
export const WINDOW_TISSUES = ['air', 'lung', 'fat', 'softTissue'] as const;
export type WindowTissue = (typeof WINDOW_TISSUES)[number];

/** A tissue found in the histogram: its gray level (± sdGray) and the HU it is assumed to have (± sdHu). */
export interface WindowLandmark {
  tissue: WindowTissue;
  /** Peak position, gray levels. */
  gray: number;
  /** Uncertainty of the peak position, gray levels: the peak's spread × peakSdFraction, with the ±0.5 rounding of gray levels. */
  sdGray: number;
  /** Found as a shoulder on the flank of a bigger peak rather than as a peak of its own. */
  shoulder: boolean;
  hu: number;
  sdHu: number;
  pixels: number;
  /** Fitted HU at the peak minus the assumed HU (how well this landmark agrees with the others). */
  residualHu: number;
}

/** `--window auto`: the estimated window, its uncertainty (sd, HU, of low and high) and the landmarks used. */
export interface WindowEstimate extends HuWindow {
  sdLow: number;
  sdHigh: number;
  /** The part of sdLow/sdHigh due to the landmarks' assumed HU alone: shared by all pictures, pooling does not shrink it. */
  systematicSdLow: number;
  systematicSdHigh: number;
  landmarks: WindowLandmark[];
  /** 'lung' when dark peaks were found but none fits as lung with the other landmarks (e.g. lungs opacified by disease). */
  dropped: WindowTissue[];
  /** Whether gray 0 / 255 hold at least clipFraction of the pixels (those ends are never landmarks). */
  clipped: { low: boolean; high: boolean };
  /** Fit quality: Σ (residual/sd)² and its degrees of freedom (landmarks − 2). */
  chi2: number;
  dof: number;
}

/** The assumed HU (± sd) of each tissue, from the config. */
const tissueHu = (c: AutoWindowConfig): Record<WindowTissue, [number, number]> => ({
  air: [c.airHu, c.airSdHu],
  lung: [c.lungHu, c.lungSdHu],
  fat: [c.fatHu, c.fatSdHu],
  softTissue: [c.softTissueHu, c.softTissueSdHu],
});

interface Hypothesis {
  peaks: [WindowTissue, HistogramPeak][];
  fit: WindowFit;
  /** Σ 1/sdHu² of its landmarks: how well known their HU are. */
  information: number;
  pixels: number;
}

/**
 * Every assignment of histogram peaks to tissues that keeps their HU order (air < lung below Otsu's threshold,
 * fat < soft tissue above it; air only with a lung peak; at least one bright tissue and two landmarks), fitted by
 * fitWindow, keeping those whose window is plausible for a lung-window export and whose landmarks agree
 * (chi²/dof ≤ maxReducedChi2). Sorted best first: most landmarks, lowest chi², soft tissue present (the usual
 * bright peak of a thorax picture), best-known HU (Σ 1/sdHu²: a lung opacified by disease goes before fat or soft
 * tissue), most pixels.
 */
function landmarkHypotheses(dark: HistogramPeak[], bright: HistogramPeak[], cfg: AutoWindowConfig): Hypothesis[] {
  const known = tissueHu(cfg);
  const darker = (p: HistogramPeak | undefined, than: HistogramPeak[]) => [undefined, ...than.filter((q) => !p || q.gray <= p.gray - cfg.minPeakSeparation)];
  const inside = (v: number, [a, b]: [number, number]) => v >= a && v <= b;
  const out: Hypothesis[] = [];
  for (const lung of [undefined, ...dark])
    for (const air of lung ? darker(lung, dark) : [undefined])
      for (const soft of [undefined, ...bright])
        for (const fat of darker(soft, bright)) {
          const chosen: [WindowTissue, HistogramPeak | undefined][] = [['air', air], ['lung', lung], ['fat', fat], ['softTissue', soft]];
          const used = chosen.filter((c): c is [WindowTissue, HistogramPeak] => !!c[1]);
          if (used.length < 2 || (!soft && !fat)) continue;
          const fit = fitWindow(used.map((u) => fitPoint(u, cfg)));
          if (!inside(fit.low, cfg.plausibleLowHu) || !inside(fit.high, cfg.plausibleHighHu)) continue;
          if (fit.dof > 0 && fit.chi2 / fit.dof > cfg.maxReducedChi2) continue;
          out.push({ peaks: used, fit, information: used.reduce((s, [k]) => s + known[k][1] ** -2, 0), pixels: used.reduce((s, [, p]) => s + p.pixels, 0) });
        }
  const chi2 = (h: Hypothesis) => Math.round(h.fit.chi2 * 1e6);
  const soft = (h: Hypothesis) => (h.peaks.some(([k]) => k === 'softTissue') ? 1 : 0);
  return out.sort((a, b) => b.peaks.length - a.peaks.length || chi2(a) - chi2(b) || soft(b) - soft(a) || b.information - a.information || b.pixels - a.pixels);
}

/** A landmark as a fit point: peak position ± (spread × peakSdFraction, with the ±0.5 rounding of gray levels), assumed HU ± sd. */
function fitPoint([tissue, p]: [WindowTissue, HistogramPeak], cfg: AutoWindowConfig): WindowFitPoint {
  const [hu, sdHu] = tissueHu(cfg)[tissue];
  return { gray: p.gray, sdGray: Math.hypot(p.spreadGray * cfg.peakSdFraction, 1 / Math.sqrt(12)), hu, sdHu };
}

/**
 * Variance (HU²) of low and high due to ambiguity: the other accepted assignments with as many landmarks as the best,
 * weighted by their likelihood relative to it, exp(−Δchi²/2), around the best one (weight 1).
 */
function ambiguityVariance(hypotheses: Hypothesis[]): [number, number] {
  const [best, ...rest] = hypotheses;
  let wSum = 1, low = 0, high = 0;
  for (const h of rest) {
    if (h.peaks.length < best.peaks.length) break;
    const w = Math.exp(-(h.fit.chi2 - best.fit.chi2) / 2);
    (wSum += w), (low += w * (h.fit.low - best.fit.low) ** 2), (high += w * (h.fit.high - best.fit.high) ** 2);
  }
  return [low / wSum, high / wSum];
}

/** A readable picture whose histogram holds no consistent tissue landmarks (so no window can be estimated from it). */
export class WindowNotFoundError extends InputError {}

/**
 * Estimates the window (HU at gray 0 and 255) of a pre-windowed 8-bit chest CT slice (gray: width×height,
 * row-major) from tissues of known HU (config `ingest.autoWindow`): peaks of the smoothed histogram, clipped ends
 * (gray 0/255 and clipMarginGray beside a clipped end) excluded, are assigned to air, lung, fat and soft tissue
 * (landmarkHypotheses) and the best assignment is fitted by weighted least squares. The sd of low/high (HU)
 * propagates the landmarks' HU sd and peak-position sd, and adds the spread of equally good other assignments.
 * Throws InputError (naming `file`) when no two consistent landmarks are found.
 */
export function estimateWindow(gray: Uint8Array, width: number, height: number, cfg: AutoWindowConfig, file?: string): WindowEstimate {
  if (gray.length !== width * height || !gray.length) throw new InputError(`picture of ${width}×${height} has ${gray.length} pixels`, file);
  const hist = grayHistogram(gray, cfg);
  const peaks = histogramPeaks(hist, cfg);
  const t = otsuThreshold(hist);
  // shoulders count on the bright side only (fat on the flank of soft tissue); dark shoulders are mostly disease or noise
  const dark = peaks.filter((p) => p.gray < t && !p.shoulder), bright = peaks.filter((p) => p.gray >= t);
  const hypotheses = landmarkHypotheses(dark, bright, cfg);
  if (!hypotheses.length) {
    const found = `${dark.length} dark and ${bright.length} bright histogram peak(s)${hist.clippedHigh ? ', bright end clipped' : ''}`;
    throw new WindowNotFoundError(`--window auto: no two consistent tissue landmarks (${found}); pass --window LO,HI`, file);
  }
  const { fit, peaks: used } = hypotheses[0];
  const [ambLow, ambHigh] = ambiguityVariance(hypotheses);
  const slope = (fit.high - fit.low) / 255;
  const landmarks = used.map(([tissue, p]): WindowLandmark => {
    const pt = fitPoint([tissue, p], cfg);
    return { tissue, gray: round2(p.gray), sdGray: round2(pt.sdGray), shoulder: p.shoulder, hu: pt.hu, sdHu: pt.sdHu, pixels: p.pixels, residualHu: Math.round(fit.low + slope * p.gray - pt.hu) };
  });
  const dropped: WindowTissue[] = dark.length && !landmarks.some((l) => l.tissue === 'lung') ? ['lung'] : [];
  return {
    low: Math.round(fit.low), high: Math.round(fit.high), sdLow: Math.round(Math.sqrt(fit.sdLow ** 2 + ambLow)), sdHigh: Math.round(Math.sqrt(fit.sdHigh ** 2 + ambHigh)),
    systematicSdLow: Math.round(fit.systematicSdLow), systematicSdHigh: Math.round(fit.systematicSdHigh),
    landmarks, dropped, clipped: { low: hist.clippedLow, high: hist.clippedHigh }, chi2: round2(fit.chi2), dof: fit.dof,
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
