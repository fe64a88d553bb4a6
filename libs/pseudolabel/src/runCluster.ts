import { itemsOfShard } from '@covseg/io';
import { fitCaseSamples, pickClusterCases, sampleClusterCases, sampleDraw, type CohortImage } from './clusterCohort.js';
import { readCaseSamples, writeCaseSample } from './caseSampleFiles.js';
import { candidateFeatureExtractor, lungMaskProvider } from './extractFeatures.js';
import { writeKMeansModel, type KMeansModel } from './kmeansModel.js';
import type { PseudolabelSections } from './sections.js';

/** Where each case's lung mask comes from: a folder of <case>.nii.gz, the case's reference labels, or (neither) computed from the CT. */
export interface LungMaskSource {
  dir?: string;
  fromLabel?: boolean;
}

export interface RunClusterOptions {
  cases: readonly CohortImage[];
  /** kmeans.json to write (a `shard` worker writes none). */
  out: string;
  config: Pick<PseudolabelSections, 'features' | 'lungmask' | 'cluster'>;
  lungMasks: LungMaskSource;
  /** A scale-out worker's share k/n of the chosen cases: sampled into `samplesDir`, not fitted. */
  shard?: { k: number; n: number };
  /** Fit on the samples the `shard` workers left in `samplesDir` instead of sampling. */
  merge?: boolean;
  /** Folder of per-case samples (needed with `shard` or `merge`). */
  samplesDir?: string;
  quiet?: boolean;
}

/** What a cluster run did: sampled a worker's share, or fitted and wrote the model. */
export type RunClusterResult = { kind: 'sampled'; cases: number } | { kind: 'fitted'; model: KMeansModel };

/**
 * The body of `covseg cluster` and the pipeline's cluster stage: candidate voxels of the chosen cases
 * (stratified per patient) → mini-batch K-means → `out`; or, scaled out, one worker's samples / their merge.
 */
export async function runCluster(o: RunClusterOptions): Promise<RunClusterResult> {
  const { cluster } = o.config;
  const extract = candidateFeatureExtractor(o.config.features, lungMaskProvider({ ...o.lungMasks, compute: o.config.lungmask }));
  if ((o.shard || o.merge) && o.samplesDir === undefined) throw new Error('runCluster: shard and merge need samplesDir');
  if (o.shard) {
    const mine = new Set(itemsOfShard(pickClusterCases(o.cases, cluster), o.shard).map((c) => c.id));
    const samples = await sampleClusterCases(o.cases, cluster, { extract, quiet: o.quiet, only: (c) => mine.has(c.id) });
    for (const s of samples) writeCaseSample(o.samplesDir!, s);
    return { kind: 'sampled', cases: samples.length };
  }
  const samples = o.merge
    ? readCaseSamples(o.samplesDir!, pickClusterCases(o.cases, cluster).map((c) => c.id), sampleDraw(o.cases, cluster))
    : await sampleClusterCases(o.cases, cluster, { extract, quiet: o.quiet });
  const model = fitCaseSamples(samples, cluster);
  writeKMeansModel(o.out, model);
  return { kind: 'fitted', model };
}
