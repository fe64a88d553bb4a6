import type { CohortImage } from './clusterCohort.js';
import { candidateFeatureExtractor, lungMaskProvider } from './extractFeatures.js';
import { readKMeansModel } from './kmeansModel.js';
import { pseudolabelCohort, type PseudolabelCohortResult } from './pseudolabelCohort.js';
import type { LungMaskSource } from './runCluster.js';
import type { PseudolabelSections } from './sections.js';

export interface RunPseudolabelOptions {
  cases: readonly CohortImage[];
  /** kmeans.json from the cluster step. */
  kmeans: string;
  /** Output folder: labels/ and, when `draw`, shards/. */
  out: string;
  config: Pick<PseudolabelSections, 'features' | 'lungmask' | 'pseudolabel'>;
  lungMasks: LungMaskSource;
  /** Draw the shard store after labelling (false for a scale-out worker, or for cases kept out of training). */
  draw: boolean;
  /** Provenance stored in the shard index. */
  meta?: Record<string, unknown>;
  quiet?: boolean;
  onError?: (id: string, error: string) => void;
}

/** The body of `covseg pseudolabel` and the pipeline's pseudolabel stage: K-means model + cleaning → out/labels/<case>.nii.gz, then the slice shards. */
export async function runPseudolabel(o: RunPseudolabelOptions): Promise<PseudolabelCohortResult> {
  const model = readKMeansModel(o.kmeans);
  const extract = candidateFeatureExtractor(o.config.features, lungMaskProvider({ ...o.lungMasks, compute: o.config.lungmask }));
  return pseudolabelCohort(o.cases, o.out, { model, extract, config: o.config.pseudolabel, draw: o.draw, meta: o.meta, quiet: o.quiet, onError: o.onError });
}
