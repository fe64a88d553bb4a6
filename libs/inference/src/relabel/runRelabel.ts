import type { SliceRecord, Volume } from '@covseg/io';
import type { BackendName } from '@covseg/tfjs-backend';
import type { PredictConfig } from '../config.js';
import { openSegmenter } from '../openSegmenter.js';
import type { OnnxRuntimeConfig } from '../onnxRuntime/runtimeConfig.js';
import type { RelabelConfig } from './config.js';
import { relabelCohort, relabelPredictOptions, type RelabelCase, type RelabelResult } from './relabelCohort.js';

export interface RunRelabelOptions {
  cases: readonly RelabelCase[];
  /** Model folder (tfjs) or .onnx file. */
  model: string;
  /** Output folder: labels/ and, when `draw`, shards/. */
  out: string;
  config: { predict: PredictConfig; relabel: RelabelConfig };
  /** tfjs backend for a model folder, and its thread count (0 = default). */
  backend: BackendName;
  threads: number;
  /** ONNX Runtime settings for an .onnx model (config export.runtime). */
  runtime: OnnxRuntimeConfig;
  /** Draw the shard store after segmenting (false for a scale-out worker). */
  draw: boolean;
  /** Corrected slices that join the new store as they are. */
  corrected?: readonly SliceRecord[];
  /** Lung mask per volume (labels outside → 0 per predict.postprocess); none: unmasked. */
  lungMask?: (v: Volume) => Uint8Array | undefined;
  quiet?: boolean;
  /** Where the engine choice is said (default: stderr). */
  log?: (line: string) => void;
  onError?: (id: string, error: string) => void;
}

/** The body of `covseg relabel` and the pipeline's relabel stage: the model segments the cases and N slices become a new shard store. */
export async function runRelabel(o: RunRelabelOptions): Promise<RelabelResult> {
  const { segmenter, provenance } = await openSegmenter(o.model, o.backend, o.log, o.threads, o.runtime);
  return relabelCohort(o.cases, o.out, {
    segmenter, predict: relabelPredictOptions(o.config.predict), relabel: o.config.relabel,
    draw: o.draw, lungMask: o.lungMask, meta: { modelSha256: provenance.sha256, engine: provenance.engine }, corrected: o.corrected, quiet: o.quiet,
    onError: o.onError,
  });
}
