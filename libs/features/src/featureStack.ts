import { InputError, type Volume } from '@covseg/io';
import type { FeaturesConfig } from './config.js';
import { planChannels, planHaloSlices, type FilterPlan } from './filterPlan.js';
import { checkFeaturesMemory } from './memoryBudget.js';
import { availableParallelism } from 'node:os';
import { runFilterPlan } from './runBlocks.js';
import type { PerAxis } from './shape.js';

/** Features of the candidate voxels: row r = voxel indices[r], `values[r*C + c]` = channel c. */
export interface FeatureSet {
  names: string[];
  /** rows × channels float32. */
  values: Float32Array;
  /** Voxel index (x + nx*(y + ny*z)) of each row, ascending. */
  indices: Uint32Array;
  /** Parameters that produced them (for features.json). */
  params: Record<string, unknown>;
}

/** Voxels of the lung mask with HU > minHu (the paper's candidates), ascending indices. */
export function candidateIndices(hu: Int16Array, lung: Uint8Array, minHu: number): Uint32Array {
  if (hu.length !== lung.length) throw new InputError(`lung mask has ${lung.length} voxels, the CT ${hu.length}`);
  let n = 0;
  for (let i = 0; i < hu.length; i++) if (lung[i] && hu[i] > minHu) n++;
  const out = new Uint32Array(n);
  for (let i = 0, k = 0; i < hu.length; i++) if (lung[i] && hu[i] > minHu) out[k++] = i;
  return out;
}

/** σ per axis in voxels from a config σ ([z, y, x] spacing in mm when the unit is mm); σ_z = 0 for one slice. */
function sigmaVoxels(sigma: number, cfg: FeaturesConfig, spacing: PerAxis, dims: 2 | 3 = 3): PerAxis {
  const s: PerAxis = cfg.sigmaUnit === 'mm' ? [sigma / spacing[0], sigma / spacing[1], sigma / spacing[2]] : [sigma, sigma, sigma];
  return dims === 2 ? [0, s[1], s[2]] : s;
}

/**
 * The feature plan of a config: hu, hu_s1, 3 Hessian channels (σ²-normalised, reflect), Frangi per σ.
 * In mm mode derivatives are per mm and σ² is in mm², so the channels do not depend on the voxel size.
 * `dims` 2 (one slice): in-plane filters, 2 Hessian eigenvalues and the Frangi max over σ, so 8 channels still.
 */
export function featurePlan(cfg: FeaturesConfig, spacing: PerAxis, dims: 2 | 3 = 3): FilterPlan {
  return {
    hu: true,
    smooth: { sigma: sigmaVoxels(cfg.smoothSigma, cfg, spacing, dims) },
    hessian: { sigma: sigmaVoxels(cfg.hessianSigma, cfg, spacing, dims), scale: cfg.hessianSigma ** 2, kind: cfg.hessian, order: 'abs' },
    frangi: {
      sigmas: cfg.frangiSigmas.map((s) => sigmaVoxels(s, cfg, spacing, dims)),
      scales: cfg.frangiSigmas.map((s) => s * s),
      alpha: cfg.frangiAlpha, beta: cfg.frangiBeta, gamma: cfg.frangiGamma,
      perSigma: true, max: dims === 2,
    },
    dims,
    mode: 'reflect',
    cval: 0,
    truncate: cfg.truncate,
    h: cfg.sigmaUnit === 'mm' ? [...spacing] : [1, 1, 1],
  };
}

export interface FeatureOptions {
  /** Which voxels get a row: candidates (lung ∧ HU > candidateMinHu, default), all lung voxels, or every voxel. */
  region?: 'candidates' | 'lung' | 'all';
  onBlock?: (done: number, total: number) => void;
}

/** The feature stack of one CT on its candidate voxels (z-blocks with halos, worker threads per config). */
export async function computeFeatures(volume: Volume, lung: Uint8Array, cfg: FeaturesConfig, opts: FeatureOptions = {}): Promise<FeatureSet> {
  const region = opts.region ?? 'candidates';
  let indices: Uint32Array;
  if (region === 'all') {
    indices = new Uint32Array(volume.data.length);
    for (let i = 0; i < indices.length; i++) indices[i] = i;
  } else {
    indices = candidateIndices(volume.data, lung, region === 'lung' ? -Infinity : cfg.candidateMinHu);
  }
  const plan = featurePlan(cfg, volume.spacing, volume.shape[0] === 1 ? 2 : 3);
  const [nz, ny, nx] = volume.shape;
  const blocks = Math.ceil(nz / Math.max(1, cfg.blockSlices));
  checkFeaturesMemory(
    { voxels: volume.data.length, plane: ny * nx, rows: indices.length, channels: planChannels(plan).length, slabSlices: Math.min(nz, cfg.blockSlices + 2 * planHaloSlices(plan)), concurrentBlocks: Math.max(1, Math.min(cfg.workers, blocks, availableParallelism())) },
    cfg.memoryBudgetMb,
    volume.shape,
  );
  const values = await runFilterPlan(volume.data, volume.shape, plan, indices, { blockSlices: cfg.blockSlices, workers: cfg.workers, onBlock: opts.onBlock });
  return { names: planChannels(plan), values, indices, params: { ...cfg, region, sigmasVoxels: { smooth: plan.smooth!.sigma, hessian: plan.hessian!.sigma, frangi: plan.frangi!.sigmas } } };
}

/** One channel of a feature set scattered back onto the volume grid (0 outside the rows' voxels). */
export function channelVolume(set: FeatureSet, channel: number, voxels: number): Float32Array {
  const C = set.names.length;
  const out = new Float32Array(voxels);
  for (let r = 0; r < set.indices.length; r++) out[set.indices[r]] = set.values[r * C + channel];
  return out;
}
