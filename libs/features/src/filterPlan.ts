import { gaussianRadius } from './gaussianKernel.js';
import type { BoundaryMode, PerAxis } from './shape.js';

/**
 * What to compute per voxel: the channels, in order [hu] [smoothed] [3 Hessian] [frangi per σ] [frangi max].
 * Plain data (structured-clone safe) so it crosses to worker threads.
 */
export interface FilterPlan {
  /** Channel `hu`: the input value. */
  hu: boolean;
  /** Channel `hu_s1`: Gaussian, mode nearest (skimage.filters.gaussian). σ in voxels per axis. */
  smooth?: { sigma: PerAxis };
  /** Three Hessian channels at one scale: eigenvalues (by |λ| ascending, or decreasing as eigvalsh) or the diagonal. */
  hessian?: { sigma: PerAxis; scale: number; kind: 'eigenvalues' | 'diagonal'; order: 'abs' | 'decreasing' };
  /** Frangi vesselness per scale (+ optional max over scales). `scales` are the σ² factors. */
  frangi?: { sigmas: PerAxis[]; scales: number[]; alpha: number; beta: number; gamma: number; perSigma: boolean; max: boolean };
  /** Boundary mode of the Hessian / Frangi Gaussian (skimage frangi: reflect). */
  mode: BoundaryMode;
  cval: number;
  truncate: number;
  /** Derivative spacing [z, y, x]: 1 = voxel units. */
  h: PerAxis;
  /** 2: one slice (σ_z = 0, 2×2 in-plane Hessian, 2 eigenvalues, 2D Frangi); 3 (default): volumes. */
  dims?: 2 | 3;
}

/** Channel names of a plan, in output order. */
export function planChannels(p: FilterPlan): string[] {
  const names: string[] = [];
  if (p.hu) names.push('hu');
  if (p.smooth) names.push('hu_s1');
  const two = p.dims === 2;
  if (p.hessian) names.push(...(p.hessian.kind === 'diagonal' ? (two ? ['hxx', 'hyy'] : ['hxx', 'hyy', 'hzz']) : two ? ['l1', 'l2'] : ['l1', 'l2', 'l3']));
  if (p.frangi?.perSigma) p.frangi.sigmas.forEach((_, k) => names.push(`frangi_s${k + 1}`));
  if (p.frangi?.max) names.push('frangi_max');
  return names;
}

/** Slices of context a block needs on each side in z so its inner slices equal the whole-volume result. */
export function planHaloSlices(p: FilterPlan): number {
  const zs = [p.smooth ? p.smooth.sigma[0] : 0, p.hessian ? p.hessian.sigma[0] : 0, ...(p.frangi ? p.frangi.sigmas.map((s) => s[0]) : [])];
  // Gaussian radius + 1 slice per np.gradient pass
  const derivative = p.hessian || p.frangi ? 2 : 0;
  return Math.max(0, ...zs.map((s) => gaussianRadius(s, p.truncate))) + derivative;
}
