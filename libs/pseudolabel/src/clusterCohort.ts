import { createRng, InputError, readVolume, startProgress } from '@covseg/io';
import type { ClusterConfig } from './config.js';
import type { FeatureExtractor } from './featureSource.js';
import { fitKMeansModel, type KMeansModel } from './kmeansModel.js';
import { sampleIndices } from './sampleIndices.js';

/** A readable case of the cohort. */
export interface CohortImage {
  id: string;
  image: string;
  /** Reference labels when the cohort has them (phantoms): usable as the lung mask (label > 0). */
  label?: string;
}

/** The cases whose voxels feed the fit: `patients` of them drawn with the seed (all when fewer), in id order. */
export function pickClusterCases<T extends { id: string }>(cases: readonly T[], cfg: Pick<ClusterConfig, 'patients' | 'seed'>): T[] {
  const sorted = [...cases].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const picked = sampleIndices(sorted.length, cfg.patients, createRng(`cluster-cases:${cfg.seed}`));
  return Array.from(picked, (i) => sorted[i]);
}

/** One case's contribution to the cohort sample: `share` random candidate rows (all when fewer). */
export function sampleCaseRows(values: Float32Array, d: number, share: number, seed: number, caseId: string): Float32Array {
  const n = values.length / d;
  const rows = sampleIndices(n, share, createRng(`cluster-voxels:${seed}:${caseId}`));
  const out = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) out.set(values.subarray(rows[i] * d, rows[i] * d + d), i * d);
  return out;
}

export interface ClusterCohortOptions {
  extract: FeatureExtractor;
  quiet?: boolean;
  /** Reads a case's volume (default: readVolume of its image path). */
  read?: (c: CohortImage) => Promise<import('@covseg/io').Volume>;
}

/**
 * `covseg cluster`: draws candidate voxels from `patients` cases, at most an equal share
 * (sampleVoxels / patients) from each so that no patient dominates, and fits the K-means model.
 */
export async function clusterCohort(cases: readonly CohortImage[], cfg: ClusterConfig, opts: ClusterCohortOptions): Promise<KMeansModel> {
  if (cases.length === 0) throw new InputError('the cohort has no usable case');
  const chosen = pickClusterCases(cases, cfg);
  const share = Math.ceil(cfg.sampleVoxels / chosen.length);
  const parts: Float32Array[] = [];
  const samplePerCase: Record<string, number> = {};
  let names: string[] | null = null;
  let params: Record<string, unknown> | undefined;
  const read = opts.read ?? ((c: CohortImage) => readVolume(c.image, { allow2D: true }));
  const progress = startProgress('cluster: sample voxels', chosen.length, { quiet: opts.quiet });
  try {
    for (const c of chosen) {
      const f = await opts.extract(await read(c), c);
      if (names && names.join() !== f.names.join()) throw new InputError(`features [${f.names}] differ from the other cases' [${names}]`, c.id);
      names = f.names;
      params = f.params;
      const rows = sampleCaseRows(f.values, f.names.length, share, cfg.seed, c.id);
      parts.push(rows);
      samplePerCase[c.id] = rows.length / f.names.length;
      progress.tick(c.id);
    }
  } finally {
    progress.stop();
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const sample = new Float32Array(total);
  let o = 0;
  for (const p of parts) sample.set(p, o), (o += p.length);
  return fitKMeansModel(sample, names!, cfg, { samplePerCase, features: params });
}
