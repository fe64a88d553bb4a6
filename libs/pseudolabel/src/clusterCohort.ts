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

/** One case's sampled feature rows (rows × channels float32) and what produced them. */
export interface CaseSample {
  id: string;
  names: string[];
  rows: Float32Array;
  params?: Record<string, unknown>;
  /** How the rows were drawn: seed and per-case share (a --merge refuses samples drawn otherwise). */
  drawn?: SampleDraw;
}

/** The settings a case's sample depends on besides its features: the seed and the per-case share of sampleVoxels. */
export interface SampleDraw {
  seed: number;
  share: number;
}

/** The draw each chosen case gets under `cfg` for a cohort of `cases` (the same in every scale-out worker). */
export function sampleDraw(cases: readonly { id: string }[], cfg: Pick<ClusterConfig, 'patients' | 'seed' | 'sampleVoxels'>): SampleDraw {
  return { seed: cfg.seed, share: Math.ceil(cfg.sampleVoxels / pickClusterCases(cases, cfg).length) };
}

/**
 * Samples the candidate rows of the chosen cases (`pickClusterCases`), at most an equal share
 * (sampleVoxels / patients) from each. `only` restricts the work to some of the chosen cases (a scale-out
 * worker); each case's draw depends only on the seed and its id, so workers' samples merge into one run's.
 */
export async function sampleClusterCases(cases: readonly CohortImage[], cfg: ClusterConfig, opts: ClusterCohortOptions & { only?: (c: CohortImage) => boolean }): Promise<CaseSample[]> {
  if (cases.length === 0) throw new InputError('the cohort has no usable case');
  const chosen = pickClusterCases(cases, cfg);
  const drawn = sampleDraw(cases, cfg);
  const share = drawn.share;
  const todo = opts.only ? chosen.filter(opts.only) : chosen;
  const read = opts.read ?? ((c: CohortImage) => readVolume(c.image, { allow2D: true }));
  const out: CaseSample[] = [];
  const progress = startProgress('cluster: sample voxels', todo.length, { quiet: opts.quiet });
  try {
    for (const c of todo) {
      const f = await opts.extract(await read(c), c);
      out.push({ id: c.id, names: f.names, rows: sampleCaseRows(f.values, f.names.length, share, cfg.seed, c.id), params: f.params, drawn });
      progress.tick(c.id);
    }
  } finally {
    progress.stop();
  }
  return out;
}

/** Fits the K-means model on case samples concatenated in the given order (all with the same channels). */
export function fitCaseSamples(samples: readonly CaseSample[], cfg: ClusterConfig): KMeansModel {
  if (!samples.length) throw new InputError('no case sample to fit');
  const names = samples[0].names;
  for (const c of samples) if (c.names.join() !== names.join()) throw new InputError(`features [${c.names}] differ from the other cases' [${names}]`, c.id);
  const sample = new Float32Array(samples.reduce((s, c) => s + c.rows.length, 0));
  let o = 0;
  for (const c of samples) sample.set(c.rows, o), (o += c.rows.length);
  const samplePerCase = Object.fromEntries(samples.map((c) => [c.id, c.rows.length / names.length]));
  return fitKMeansModel(sample, names, cfg, { samplePerCase, features: samples[samples.length - 1].params });
}

/**
 * `covseg cluster`: draws candidate voxels from `patients` cases, at most an equal share
 * (sampleVoxels / patients) from each so that no patient dominates, and fits the K-means model.
 */
export async function clusterCohort(cases: readonly CohortImage[], cfg: ClusterConfig, opts: ClusterCohortOptions): Promise<KMeansModel> {
  return fitCaseSamples(await sampleClusterCases(cases, cfg, opts), cfg);
}
