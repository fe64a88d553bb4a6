import { InputError } from './errors.js';
import type { GrayImage } from './grayImage.js';
import type { HuWindow } from './window.js';
import type { AutoWindowConfig } from './config.js';

/** A tissue found in the histogram: its gray level and the HU it is assumed to have (± sd). */
export interface WindowLandmark {
  tissue: 'air' | 'lung' | 'softTissue';
  gray: number;
  /** Uncertainty of the peak position (gray levels): half-width at half-maximum / 1.18, as for a Gaussian peak. */
  sdGray: number;
  hu: number;
  sdHu: number;
  pixels: number;
}

/** `--window auto`: the estimated window, its uncertainty (± HU on low and high) and the landmarks used. */
export interface WindowEstimate extends HuWindow {
  sdLow: number;
  sdHigh: number;
  /** The part of sdLow/sdHigh due to the landmarks' assumed HU alone: shared by all pictures, pooling does not shrink it. */
  systematicSdLow: number;
  systematicSdHigh: number;
  landmarks: WindowLandmark[];
}

/** 256-bin histogram of the pixels where `keep` is true, smoothed by a box of ±r bins. */
function histogram(data: Uint8Array, keep: (i: number) => boolean, r: number): Float64Array {
  const h = new Float64Array(256);
  for (let i = 0; i < data.length; i++) if (keep(i)) h[data[i]]++;
  const s = new Float64Array(256);
  for (let g = 0; g < 256; g++) {
    let sum = 0, n = 0;
    for (let k = Math.max(0, g - r); k <= Math.min(255, g + r); k++) (sum += h[k]), n++;
    s[g] = sum / n;
  }
  return s;
}

/** Gray level of the highest bin in [lo, hi] (inclusive), or -1 when the range is empty. */
function modeIn(h: Float64Array, lo: number, hi: number): number {
  let best = -1;
  for (let g = Math.max(0, lo); g <= Math.min(255, hi); g++) if (h[g] > 0 && (best < 0 || h[g] > h[best])) best = g;
  return best;
}

/** Peak position sd (gray levels) from its half-width at half-maximum within [lo, hi]; a flat histogram gives a wide peak. */
function peakSd(h: Float64Array, g: number, lo: number, hi: number): number {
  const half = h[g] / 2;
  let a = g, b = g;
  while (a > lo && h[a - 1] >= half) a--;
  while (b < hi && h[b + 1] >= half) b++;
  return Math.max(1, (b - a + 1) / 2 / 1.1774);
}

/** Otsu's threshold of a histogram (the gray level that best splits dark from bright). */
function otsu(h: Float64Array): number {
  let total = 0, sum = 0;
  for (let g = 0; g < 256; g++) (total += h[g]), (sum += g * h[g]);
  let wB = 0, sB = 0, best = 0, bestVar = -1;
  for (let g = 0; g < 256; g++) {
    wB += h[g];
    if (!wB || wB === total) continue;
    sB += g * h[g];
    const mB = sB / wB, mF = (sum - sB) / (total - wB);
    const v = wB * (total - wB) * (mB - mF) ** 2;
    if (v > bestVar) (bestVar = v), (best = g);
  }
  return best;
}

/**
 * Peaks of the dark part [1, t) of a histogram, darkest first: local maxima over ± `sep` gray levels holding at
 * least `minPixels` pixels within ± `sep`. Air is always darker than aerated lung, so with two peaks the first is
 * outside air and the second lung; with one it is lung (air clipped to 0, or a crop without air).
 */
function darkPeaks(h: Float64Array, t: number, sep: number, minPixels: number): number[] {
  const peaks: number[] = [];
  for (let g = 1; g < t; g++) {
    let isMax = h[g] > 0, mass = 0;
    for (let k = -sep; k <= sep && isMax; k++) {
      const j = g + k;
      if (j < 1 || j >= t || k === 0) continue;
      if (h[j] > h[g] || (h[j] === h[g] && k < 0)) isMax = false;
    }
    for (let j = Math.max(1, g - sep); j <= Math.min(t - 1, g + sep); j++) mass += h[j];
    if (isMax && mass >= minPixels) peaks.push(g);
  }
  return peaks;
}

/** Least-squares line hu = low + g·slope through the landmarks, as a window. */
function fitWindow(points: { gray: number; hu: number }[]): HuWindow {
  const n = points.length;
  const mg = points.reduce((s, p) => s + p.gray, 0) / n, mh = points.reduce((s, p) => s + p.hu, 0) / n;
  let sxy = 0, sxx = 0;
  for (const p of points) (sxy += (p.gray - mg) * (p.hu - mh)), (sxx += (p.gray - mg) ** 2);
  const slope = sxy / sxx;
  const low = mh - slope * mg;
  return { low, high: low + 255 * slope };
}

/**
 * Estimates the window of a pre-windowed 8-bit chest CT slice from tissues of known HU: the aerated-lung peak
 * and, when the slice shows enough unclipped outside air, the air peak (the dark peaks below Otsu's threshold),
 * and the soft-tissue peak (the bright mode). Clipped ends (0, 255) are never landmarks.
 * The uncertainty (sd of low/high) propagates each landmark's HU sd and its peak-position sd (peak width):
 * a flat, ambiguous histogram gives a large one. Throws InputError when the picture has no usable dark or bright peak.
 */
export function estimateWindow(img: GrayImage, cfg: AutoWindowConfig, file?: string): WindowEstimate {
  const r = cfg.smoothBins;
  const n = img.data.length;
  const all = histogram(img.data, (i) => img.data[i] > 0 && img.data[i] < 255, r);
  const t = otsu(all);
  const peaks = darkPeaks(all, t, cfg.minPeakSeparation, cfg.minLandmarkFraction * n);
  const tissueGray = modeIn(all, t, 254);
  if (!peaks.length || tissueGray < 0) throw new InputError(`no ${peaks.length ? 'bright (soft tissue)' : 'dark (lung)'} peak in the histogram: cannot estimate the window; pass --window LO,HI`, file);
  const lungGray = peaks.length >= 2 ? peaks[1] : peaks[0];
  const count = (g: number) => Math.round(all[g] * (2 * r + 1));
  const landmarks: WindowLandmark[] = [
    { tissue: 'lung', gray: lungGray, sdGray: peakSd(all, lungGray, 1, t - 1), hu: cfg.lungHu, sdHu: cfg.lungSdHu, pixels: count(lungGray) },
    { tissue: 'softTissue', gray: tissueGray, sdGray: peakSd(all, tissueGray, t, 254), hu: cfg.softTissueHu, sdHu: cfg.softTissueSdHu, pixels: count(tissueGray) },
  ];
  if (peaks.length >= 2) landmarks.push({ tissue: 'air', gray: peaks[0], sdGray: peakSd(all, peaks[0], 1, t - 1), hu: cfg.airHu, sdHu: cfg.airSdHu, pixels: count(peaks[0]) });
  const w = fitWindow(landmarks);
  // first-order propagation of each landmark's HU sd and peak-position sd (independent) to low and high
  let varLow = 0, varHigh = 0, sysLow = 0, sysHigh = 0;
  landmarks.forEach((l, k) => {
    for (const [dGray, dHu] of [[0, l.sdHu], [l.sdGray, 0]]) {
      const moved = fitWindow(landmarks.map((m, j) => (j === k ? { gray: m.gray + dGray, hu: m.hu + dHu } : m)));
      varLow += (moved.low - w.low) ** 2;
      varHigh += (moved.high - w.high) ** 2;
      if (dHu) (sysLow += (moved.low - w.low) ** 2), (sysHigh += (moved.high - w.high) ** 2);
    }
  });
  const [sdLow, sdHigh] = [Math.sqrt(varLow), Math.sqrt(varHigh)];
  return { low: Math.round(w.low), high: Math.round(w.high), sdLow: Math.round(sdLow), sdHigh: Math.round(sdHigh), systematicSdLow: Math.round(Math.sqrt(sysLow)), systematicSdHigh: Math.round(Math.sqrt(sysHigh)), landmarks };
}

/**
 * Inverse-variance weighted mean of per-picture estimates (pictures of one series share a window): low, high and
 * their sd = √(sd of the weighted mean² + median systematic sd²), since the landmarks' HU error is common to all.
 */
export function poolWindowEstimates(estimates: readonly WindowEstimate[]): { low: number; high: number; sdLow: number; sdHigh: number; pictures: number } {
  if (!estimates.length) throw new InputError('no picture gave a window estimate to pool');
  const pool = (v: (e: WindowEstimate) => number, sd: (e: WindowEstimate) => number) => {
    let sw = 0, s = 0;
    for (const e of estimates) {
      const w = 1 / Math.max(1, sd(e)) ** 2;
      (sw += w), (s += w * v(e));
    }
    return [s / sw, 1 / Math.sqrt(sw)];
  };
  const median = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1];
  const [low, statLow] = pool((e) => e.low, (e) => e.sdLow);
  const [high, statHigh] = pool((e) => e.high, (e) => e.sdHigh);
  const sdLow = Math.hypot(statLow, median(estimates.map((e) => e.systematicSdLow)));
  const sdHigh = Math.hypot(statHigh, median(estimates.map((e) => e.systematicSdHigh)));
  return { low: Math.round(low), high: Math.round(high), sdLow: Math.round(sdLow), sdHigh: Math.round(sdHigh), pictures: estimates.length };
}
