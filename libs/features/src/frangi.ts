/** skimage's `_divide_nonzero` replacement for a zero denominator. */
const NONZERO = 1e-10;

/** Frangi parameters with the squares precomputed: 2α², 2β², 2γ². */
export interface FrangiTerms {
  twoAlphaSq: number;
  twoBetaSq: number;
  twoGammaSq: number;
}

/** 2α², 2β², 2γ² from α, β, γ (skimage 0.19 defaults 0.5, 0.5, 15). */
export function frangiTerms(alpha: number, beta: number, gamma: number): FrangiTerms {
  return { twoAlphaSq: 2 * alpha * alpha, twoBetaSq: 2 * beta * beta, twoGammaSq: 2 * gamma * gamma };
}

/**
 * Frangi vesselness of one voxel for bright tubes (skimage 0.19 `frangi`, black_ridges=False) from its
 * σ²-scaled Hessian eigenvalues sorted by |λ| ascending (l1 smallest). 0 where max(l2, l3) > 0.
 */
export function frangiVesselness(l1: number, l2: number, l3: number, t: FrangiTerms): number {
  if (l2 > 0 || l3 > 0) return 0;
  const ra = l2 / (l3 === 0 ? NONZERO : l3);
  const raw = Math.sqrt(Math.abs(l2 * l3));
  const rb = l1 / (raw === 0 ? NONZERO : raw);
  const rg = l1 * l1 + l2 * l2 + l3 * l3;
  return (1 - Math.exp(-(ra * ra) / t.twoAlphaSq)) * Math.exp(-(rb * rb) / t.twoBetaSq) * (1 - Math.exp(-rg / t.twoGammaSq));
}

/**
 * 2D Frangi vesselness of one pixel for bright ridges (skimage 0.19 `frangi` on a 2D image, black_ridges=False):
 * R_A is infinite in 2D, R_B = l1 / |l2|, S² = l1² + l2²; 0 where l2 > 0. Eigenvalues σ²-scaled, |l1| ≤ |l2|.
 */
export function frangiVesselness2d(l1: number, l2: number, t: FrangiTerms): number {
  if (l2 > 0) return 0;
  const rb = l1 / (l2 === 0 ? NONZERO : Math.abs(l2));
  return Math.exp(-(rb * rb) / t.twoBetaSq) * (1 - Math.exp(-(l1 * l1 + l2 * l2) / t.twoGammaSq));
}
