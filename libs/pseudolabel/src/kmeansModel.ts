import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError, writeJsonAtomic } from '@covseg/io';
import type { ClusterConfig } from './config.js';
import { assignClusters } from './assignClusters.js';
import { mapClustersToClasses } from './clusterMapping.js';
import { miniBatchKMeans, type StopReason } from './miniBatchKMeans.js';
import { applyZScore, undoZScore, zScoreStats } from './zScore.js';

const row = z.array(z.number());

/** kmeans.json: everything needed to label new voxels, plus provenance of the fit. */
export const kmeansModelSchema = z
  .object({
    version: z.literal(1),
    featureNames: z.array(z.string()).min(1),
    k: z.number().int().min(1),
    /** z-score applied before clustering: (x − mean) / std per feature. */
    scaling: z.object({ mean: row, std: row }).strict(),
    centroids: z.object({ scaled: z.array(row), original: z.array(row) }).strict(),
    /** Label value (2 GGO, 3 consolidation, 4 vessels) of each cluster index. */
    mapping: z.array(z.number().int().min(2).max(4)),
    /** Sum of squared scaled distances of the sample to its centroids, and per voxel. */
    inertia: z.number(),
    inertiaPerVoxel: z.number(),
    sampleSize: z.number().int(),
    /** Voxels drawn from each case (keyed by case id). */
    samplePerCase: z.record(z.string(), z.number().int()),
    /** Voxels of the sample assigned to each class. */
    classCounts: z.object({ ggo: z.number(), consolidation: z.number(), vessels: z.number() }).strict(),
    steps: z.number().int(),
    stopReason: z.enum(['tol', 'plateau', 'maxIter']),
    seed: z.number().int(),
    config: z.record(z.string(), z.unknown()),
    /** Feature extraction settings the model was fitted with (features.json of libs/features). */
    features: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type KMeansModel = z.infer<typeof kmeansModelSchema>;

const rows = (a: ArrayLike<number>, k: number, d: number) => Array.from({ length: k }, (_, c) => Array.from({ length: d }, (_, j) => a[c * d + j]));

/**
 * Fits the pseudo-label model on an n×d feature sample (original units): z-score, mini-batch
 * K-means, cluster → class mapping by centroid meaning.
 */
export function fitKMeansModel(
  sample: Float32Array,
  featureNames: readonly string[],
  cfg: ClusterConfig,
  extra: { samplePerCase?: Record<string, number>; features?: Record<string, unknown>; initialCentroids?: Float32Array } = {},
): KMeansModel {
  const d = featureNames.length;
  if (sample.length % d !== 0) throw new InputError(`feature sample of ${sample.length} values is not a multiple of ${d} features`);
  const n = sample.length / d;
  if (n < cfg.k) throw new InputError(`only ${n} candidate voxels sampled; K-means needs at least k=${cfg.k}`);
  const scaling = zScoreStats(sample, d);
  const scaled = applyZScore(sample, d, scaling);
  const fit = miniBatchKMeans(scaled, d, { ...cfg, initialCentroids: extra.initialCentroids });
  const original = undoZScore(fit.centroids, d, scaling);
  const mapping = mapClustersToClasses(original, cfg.k, featureNames);
  const classCounts = { ggo: 0, consolidation: 0, vessels: 0 };
  const perCluster = new Array(cfg.k).fill(0);
  for (let i = 0; i < n; i++) perCluster[fit.labels[i]]++;
  perCluster.forEach((cnt, c) => (classCounts[mapping[c] === 4 ? 'vessels' : mapping[c] === 3 ? 'consolidation' : 'ggo'] += cnt));
  return {
    version: 1,
    featureNames: [...featureNames],
    k: cfg.k,
    scaling,
    centroids: { scaled: rows(fit.centroids, cfg.k, d), original: rows(original, cfg.k, d) },
    mapping,
    inertia: fit.inertia,
    inertiaPerVoxel: fit.inertia / n,
    sampleSize: n,
    samplePerCase: extra.samplePerCase ?? {},
    classCounts,
    steps: fit.steps,
    stopReason: fit.stopReason as StopReason,
    seed: cfg.seed,
    config: { ...cfg },
    ...(extra.features ? { features: extra.features } : {}),
  };
}

/** Class label (2 GGO, 3 consolidation, 4 vessels) of each of the n rows of an n×d feature array in original units. */
export function classifyVoxels(features: Float32Array, model: KMeansModel): Uint8Array {
  const d = model.featureNames.length;
  const scaled = applyZScore(features, d, model.scaling);
  const centroids = Float32Array.from(model.centroids.scaled.flat());
  const { labels } = assignClusters(scaled, d, centroids, model.k);
  for (let i = 0; i < labels.length; i++) labels[i] = model.mapping[labels[i]];
  return labels;
}

/** Writes kmeans.json atomically. */
export function writeKMeansModel(path: string, model: KMeansModel): void {
  writeJsonAtomic(path, model);
}

/** Reads and validates kmeans.json; throws InputError naming the file. */
export function readKMeansModel(path: string): KMeansModel {
  if (!existsSync(path)) throw new InputError('no such file (run `covseg cluster` first)', path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`not JSON: ${(e as Error).message}`, path);
  }
  const r = kmeansModelSchema.safeParse(raw);
  if (!r.success) throw new InputError(`not a covseg kmeans.json: ${r.error.issues[0].path.join('.')}: ${r.error.issues[0].message}`, path);
  const m = r.data;
  const d = m.featureNames.length;
  if (m.mapping.length !== m.k || m.centroids.scaled.length !== m.k || m.centroids.scaled.some((c) => c.length !== d) || m.scaling.mean.length !== d || m.scaling.std.length !== d) {
    throw new InputError(`inconsistent sizes (k=${m.k}, ${d} features)`, path);
  }
  return m;
}
