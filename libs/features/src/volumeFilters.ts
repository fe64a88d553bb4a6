import type { FilterPlan } from './filterPlan.js';
import { runFilterPlan } from './runBlocks.js';
import { perAxis, type BoundaryMode, type PerAxis, type Shape3 } from './shape.js';

/** Column c of a rows × C matrix. */
export function columnOf(rows: Float32Array, C: number, c: number): Float32Array {
  const n = rows.length / C;
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) out[r] = rows[r * C + c];
  return out;
}

export interface VolumeFilterOptions {
  mode?: BoundaryMode;
  cval?: number;
  truncate?: number;
  blockSlices?: number;
  workers?: number;
  onStart?: (workers: number, blocks: number) => void;
}

const SKIMAGE_TRUNCATE = 4;
const basePlan = (o: VolumeFilterOptions, mode: BoundaryMode): Omit<FilterPlan, 'hu'> => ({
  mode: o.mode ?? mode,
  cval: o.cval ?? 0,
  truncate: o.truncate ?? SKIMAGE_TRUNCATE,
  h: [1, 1, 1],
});
const runOpts = (o: VolumeFilterOptions, nz: number) => ({ blockSlices: o.blockSlices ?? nz, workers: o.workers ?? 0, onStart: o.onStart });

/**
 * Whole-volume Hessian eigenvalues (voxel units) as skimage 0.19
 * `hessian_matrix_eigvals(hessian_matrix(vol, sigma, mode))`: decreasing order, not σ²-scaled, unless told.
 */
export async function hessianEigenvalues(
  input: Float32Array, shape: Shape3, sigma: number | PerAxis,
  opts: VolumeFilterOptions & { order?: 'decreasing' | 'abs'; scale?: number } = {},
): Promise<[Float32Array, Float32Array, Float32Array]> {
  const plan: FilterPlan = { ...basePlan(opts, 'constant'), hu: false, hessian: { sigma: perAxis(sigma), scale: opts.scale ?? 1, kind: 'eigenvalues', order: opts.order ?? 'decreasing' } };
  const rows = await runFilterPlan(input, shape, plan, undefined, runOpts(opts, shape[0]));
  return [columnOf(rows, 3, 0), columnOf(rows, 3, 1), columnOf(rows, 3, 2)];
}

/**
 * Whole-volume Frangi vesselness (bright tubes) as skimage 0.19 `frangi(vol, sigmas, black_ridges=False, alpha, beta, gamma)`:
 * one map per σ (voxels) and their elementwise max.
 */
export async function frangiFilter(
  input: Float32Array, shape: Shape3, sigmas: number[],
  opts: VolumeFilterOptions & { alpha?: number; beta?: number; gamma?: number } = {},
): Promise<{ perSigma: Float32Array[]; max: Float32Array }> {
  const plan: FilterPlan = {
    ...basePlan(opts, 'reflect'),
    hu: false,
    frangi: { sigmas: sigmas.map((s) => perAxis(s)), scales: sigmas.map((s) => s * s), alpha: opts.alpha ?? 0.5, beta: opts.beta ?? 0.5, gamma: opts.gamma ?? 15, perSigma: true, max: true },
  };
  const C = sigmas.length + 1;
  const rows = await runFilterPlan(input, shape, plan, undefined, runOpts(opts, shape[0]));
  return { perSigma: sigmas.map((_, k) => columnOf(rows, C, k)), max: columnOf(rows, C, sigmas.length) };
}
