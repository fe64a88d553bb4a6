import type { HuWindow } from './window.js';

/** A point of the gray → HU line: a peak's gray level (± sdGray gray levels) assumed to be `hu` (± sdHu HU). */
export interface WindowFitPoint {
  gray: number;
  sdGray: number;
  hu: number;
  sdHu: number;
}

/** A fitted window (HU at gray 0 and 255), its sd (HU), the sd from the assumed HU alone, and the fit's chi². */
export interface WindowFit extends HuWindow {
  sdLow: number;
  sdHigh: number;
  /** The part of sdLow/sdHigh due to the points' assumed HU alone (shared by every picture that uses the same landmarks). */
  systematicSdLow: number;
  systematicSdHigh: number;
  /** Σ residual²/variance (HU), and its degrees of freedom (points − 2). */
  chi2: number;
  dof: number;
}

type Mat2 = [number, number, number, number];
const inv2 = ([a, b, c, d]: Mat2): Mat2 => {
  const det = a * d - b * c;
  return [d / det, -b / det, -c / det, a / det];
};
const mul2 = ([a, b, c, d]: Mat2, [e, f, g, h]: Mat2): Mat2 => [a * e + b * g, a * f + b * h, c * e + d * g, c * f + d * h];

/** Variances (HU²) of low = a and high = a + 255·b from the covariance of (a, b). */
const windowVariances = ([caa, cab, , cbb]: Mat2): [number, number] => [caa, caa + 2 * 255 * cab + 255 * 255 * cbb];

/**
 * Weighted least-squares line hu = low + gray·(high − low)/255 through ≥ 2 points (distinct gray levels).
 * Each point's variance is sdHu² + (slope·sdGray)² (effective variance, iterated from the unweighted slope).
 * The covariance is (XᵀWX)⁻¹, scaled by chi²/dof when the points scatter more than their sd say
 * (the Birge ratio); the systematic part is the sandwich with the HU variances alone.
 */
export function fitWindow(points: readonly WindowFitPoint[]): WindowFit {
  const n = points.length;
  let slope = 0;
  {
    const mg = points.reduce((s, p) => s + p.gray, 0) / n, mh = points.reduce((s, p) => s + p.hu, 0) / n;
    let sxy = 0, sxx = 0;
    for (const p of points) (sxy += (p.gray - mg) * (p.hu - mh)), (sxx += (p.gray - mg) ** 2);
    slope = sxy / sxx;
  }
  let low = 0, cov: Mat2 = [0, 0, 0, 0], w: number[] = [];
  for (let iter = 0; iter < 4; iter++) {
    w = points.map((p) => 1 / Math.max(1e-6, p.sdHu ** 2 + (slope * p.sdGray) ** 2)); // floor: an exact point (sd 0) weighs 10⁶ /HU²
    let s0 = 0, s1 = 0, s2 = 0, t0 = 0, t1 = 0;
    points.forEach((p, i) => {
      (s0 += w[i]), (s1 += w[i] * p.gray), (s2 += w[i] * p.gray ** 2), (t0 += w[i] * p.hu), (t1 += w[i] * p.gray * p.hu);
    });
    cov = inv2([s0, s1, s1, s2]);
    low = cov[0] * t0 + cov[1] * t1;
    slope = cov[2] * t0 + cov[3] * t1;
  }
  const chi2 = points.reduce((s, p, i) => s + w[i] * (p.hu - low - slope * p.gray) ** 2, 0);
  const dof = n - 2;
  const birge = dof > 0 ? Math.max(1, chi2 / dof) : 1;
  // systematic part: (XᵀWX)⁻¹ XᵀW diag(sdHu²) W X (XᵀWX)⁻¹
  let m0 = 0, m1 = 0, m2 = 0;
  points.forEach((p, i) => {
    const v = w[i] ** 2 * p.sdHu ** 2;
    (m0 += v), (m1 += v * p.gray), (m2 += v * p.gray ** 2);
  });
  const sys = mul2(mul2(cov, [m0, m1, m1, m2]), cov);
  const [vLow, vHigh] = windowVariances(cov.map((c) => c * birge) as Mat2);
  const [sLow, sHigh] = windowVariances(sys.map((c) => c * birge) as Mat2);
  return { low, high: low + 255 * slope, sdLow: Math.sqrt(vLow), sdHigh: Math.sqrt(vHigh), systematicSdLow: Math.sqrt(Math.max(0, sLow)), systematicSdHigh: Math.sqrt(Math.max(0, sHigh)), chi2, dof };
}
