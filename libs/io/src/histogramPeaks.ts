/** Settings of the gray histogram analysis (a subset of `ingest.autoWindow`). */
export interface HistogramPeakSettings {
  /** An end (gray 0 or 255) holding at least this fraction of the pixels is clipped. */
  clipFraction: number;
  /** Gray levels next to a clipped end that are left out too (JPEG ringing around saturated regions). */
  clipMarginGray: number;
  /** Box smoothing of the histogram: ± this many gray levels. */
  smoothBins: number;
  /** Peaks closer than this many gray levels are one peak (the highest). */
  minPeakSeparation: number;
  /** A peak needs at least this fraction of all pixels within ± minPeakSeparation of it. */
  minLandmarkFraction: number;
  /** A peak must rise by at least this fraction of its height above the lowest point separating it from a higher bin (or the range end) on each side. */
  minProminence: number;
  /** A shoulder (a tissue whose peak merges into a bigger one's flank) needs a curvature −h'' of at least this × its height / minPeakSeparation². */
  minShoulderCurvature: number;
}

/** A smoothed 256-bin gray histogram, with the range [lo, hi] that excludes the clipped ends. */
export interface GrayHistogram {
  /** Smoothed counts per gray level (pixels per bin); 0 outside [lo, hi]. */
  smoothed: Float64Array;
  lo: number;
  hi: number;
  clippedLow: boolean;
  clippedHigh: boolean;
  /** Fraction of all pixels at gray 0 and at 255. */
  fractionAt0: number;
  fractionAt255: number;
  pixels: number;
}

/** A peak of the histogram: position (sub-gray-level), spread and pixel count. */
export interface HistogramPeak {
  /** Peak position, gray levels (parabolic refinement of the smoothed maximum). */
  gray: number;
  /** Spread of the tissue around the peak, gray levels: half-width at half-maximum / √(2 ln 2) (a Gaussian's sd). */
  spreadGray: number;
  /** Pixels within ± minPeakSeparation of the peak. */
  pixels: number;
  /** True for a shoulder: a local maximum of the curvature −h'' on the flank of a bigger peak, not of the histogram itself. */
  shoulder: boolean;
}

/** Histogram of 8-bit gray values; gray 0 and 255 (and a margin beside a clipped end) are never part of [lo, hi]. */
export function grayHistogram(gray: Uint8Array, s: Pick<HistogramPeakSettings, 'clipFraction' | 'clipMarginGray' | 'smoothBins'>): GrayHistogram {
  const counts = new Float64Array(256);
  for (let i = 0; i < gray.length; i++) counts[gray[i]]++;
  const n = gray.length;
  const fractionAt0 = counts[0] / n, fractionAt255 = counts[255] / n;
  const clippedLow = fractionAt0 >= s.clipFraction, clippedHigh = fractionAt255 >= s.clipFraction;
  const lo = 1 + (clippedLow ? s.clipMarginGray : 0), hi = 254 - (clippedHigh ? s.clipMarginGray : 0);
  const smoothed = new Float64Array(256);
  const r = s.smoothBins;
  for (let g = lo; g <= hi; g++) {
    let sum = 0, k = 0;
    for (let j = Math.max(lo, g - r); j <= Math.min(hi, g + r); j++) (sum += counts[j]), k++;
    smoothed[g] = sum / k;
  }
  return { smoothed, lo, hi, clippedLow, clippedHigh, fractionAt0, fractionAt255, pixels: n };
}

/** Prominence of the maximum at g: its height above the higher of the two lowest points separating it from a higher bin (or the range end). */
function prominence(h: Float64Array, g: number, lo: number, hi: number): number {
  let left = h[g], right = h[g];
  for (let j = g - 1; j >= lo && h[j] <= h[g]; j--) left = Math.min(left, h[j]);
  for (let j = g + 1; j <= hi && h[j] <= h[g]; j++) right = Math.min(right, h[j]);
  return h[g] - Math.max(left, right);
}

/** Half-width at half-maximum of the peak at g, gray levels (each side stops at the range end or where the histogram rises again). */
function halfWidth(h: Float64Array, g: number, lo: number, hi: number): number {
  const half = h[g] / 2;
  let a = g, b = g;
  while (a > lo && h[a - 1] >= half && h[a - 1] <= h[a]) a--;
  while (b < hi && h[b + 1] >= half && h[b + 1] <= h[b]) b++;
  return Math.max(0.5, (b - a + 1) / 2);
}

/** Is v[g] the maximum of v over [g − r, g + r] ∩ [lo, hi] (ties go to the darkest)? */
function isLocalMax(v: Float64Array, g: number, r: number, lo: number, hi: number): boolean {
  for (let j = Math.max(lo, g - r); j <= Math.min(hi, g + r); j++) if (v[j] > v[g] || (v[j] === v[g] && j < g)) return false;
  return true;
}

/** Sub-gray-level position of the maximum of v at g (vertex of the parabola through g − 1, g, g + 1). */
function refine(v: Float64Array, g: number): number {
  const [a, b, c] = [v[g - 1], v[g], v[g + 1]];
  const curve = a - 2 * b + c;
  return curve < 0 ? g + Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / curve)) : g;
}

/**
 * Peaks of the histogram inside [lo, hi], darkest first: maxima over ± minPeakSeparation with a prominence of at
 * least minProminence of their height, and shoulders (maxima of the curvature −h'' away from any such peak, as
 * sharp as minShoulderCurvature says); each needs minLandmarkFraction of the pixels within ± minPeakSeparation.
 * A maximum at the range end (a ramp into a clipped end) has no prominence and is never a peak.
 */
export function histogramPeaks(hist: GrayHistogram, s: HistogramPeakSettings): HistogramPeak[] {
  const { smoothed: h, lo, hi } = hist;
  const sep = s.minPeakSeparation;
  const mass = (g: number) => {
    let m = 0;
    for (let j = Math.max(lo, g - sep); j <= Math.min(hi, g + sep); j++) m += h[j];
    return m;
  };
  const enough = (g: number) => mass(g) >= s.minLandmarkFraction * hist.pixels;
  const peaks: HistogramPeak[] = [];
  for (let g = lo + 1; g < hi; g++) {
    if (!(h[g] > 0) || !isLocalMax(h, g, sep, lo, hi) || !enough(g) || prominence(h, g, lo, hi) < s.minProminence * h[g]) continue;
    peaks.push({ gray: refine(h, g), spreadGray: halfWidth(h, g, lo, hi) / Math.sqrt(2 * Math.LN2), pixels: Math.round(mass(g)), shoulder: false });
  }
  // curvature over a stencil of ± k gray levels (wider than one bin: the second difference amplifies noise)
  const k = Math.max(1, Math.round(sep / 2));
  const curv = new Float64Array(256);
  for (let g = lo + k; g <= hi - k; g++) curv[g] = -(h[g - k] - 2 * h[g] + h[g + k]) / (k * k);
  for (let g = lo + k + 1; g < hi - k; g++) {
    if (!(curv[g] > 0) || !isLocalMax(curv, g, sep, lo + k, hi - k) || peaks.some((p) => Math.abs(p.gray - g) <= sep) || !enough(g)) continue;
    if (curv[g] * sep * sep < s.minShoulderCurvature * h[g]) continue;
    // a Gaussian of sd σ has −h'' = h/σ² at its centre
    peaks.push({ gray: refine(curv, g), spreadGray: Math.sqrt(h[g] / curv[g]), pixels: Math.round(mass(g)), shoulder: true });
  }
  return peaks.sort((a, b) => a.gray - b.gray);
}

/** Otsu's threshold of the histogram within [lo, hi]: the gray level that best splits dark from bright. */
export function otsuThreshold(hist: GrayHistogram): number {
  const { smoothed: h, lo, hi } = hist;
  let total = 0, sum = 0;
  for (let g = lo; g <= hi; g++) (total += h[g]), (sum += g * h[g]);
  let wB = 0, sB = 0, best = lo, bestVar = -1;
  for (let g = lo; g <= hi; g++) {
    wB += h[g];
    sB += g * h[g];
    if (!wB || wB >= total) continue;
    const mB = sB / wB, mF = (sum - sB) / (total - wB);
    const v = wB * (total - wB) * (mB - mF) ** 2;
    if (v > bestVar) (bestVar = v), (best = g + 1);
  }
  return best;
}
