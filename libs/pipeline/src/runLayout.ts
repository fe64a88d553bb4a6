import { join } from 'node:path';

/**
 * Every path of a `covseg pipeline` run folder, in one place (docs/run-layout.md shows the tree).
 * Stages, the run report and tools name run files only through these functions.
 */

/** A U-Net of the pipeline. */
export type RunModel = 'unet-a' | 'unet-b';

/** The resolved config of the run and its hash. */
export const runConfigFile = (runDir: string) => join(runDir, 'config.json');
/** A stage's folder: its outputs and its records. */
export const stageDir = (runDir: string, stage: string) => join(runDir, stage);
/** The record a stage writes when it completes (config hash, input digests, summary). */
export const recordPath = (runDir: string, stage: string) => join(stageDir(runDir, stage), 'done.json');
/** The record a stage writes when it starts (what it resumes against). */
export const startedPath = (runDir: string, stage: string) => join(stageDir(runDir, stage), 'started.json');

/** Phantom cohort (the demo's data). */
export const phantomDir = (runDir: string) => stageDir(runDir, 'phantom');
/** Ingested cohort: canonical volumes and cohort.jsonl. */
export const ingestDir = (runDir: string) => stageDir(runDir, 'ingest');
export const cohortFile = (runDir: string) => join(ingestDir(runDir), 'cohort.jsonl');
/** Train / held-out split of the cohort's cases. */
export const splitFile = (runDir: string) => join(ingestDir(runDir), 'split.json');
/** Lung masks <case>.nii.gz. */
export const lungMaskDir = (runDir: string) => stageDir(runDir, 'lungmask');
/** The fitted K-means model. */
export const kmeansFile = (runDir: string) => join(stageDir(runDir, 'cluster'), 'kmeans.json');
/** Pseudo-label volumes (labels/<case>.nii.gz) and their slice shards (shards/). */
export const pseudolabelDir = (runDir: string) => stageDir(runDir, 'pseudolabel');
export const pseudolabelLabelsDir = (runDir: string) => join(pseudolabelDir(runDir), 'labels');
export const pseudolabelShardsDir = (runDir: string) => join(pseudolabelDir(runDir), 'shards');
/** Review pack: overlay PNGs, index.html, correct.html. */
export const reviewDir = (runDir: string) => stageDir(runDir, 'review');
/** A trained model folder (model.json, weights.bin, unet.json, best/, checkpoints/). */
export const modelDir = (runDir: string, model: RunModel) => stageDir(runDir, model);
/** The shard store a model trained on (its own plus any extra stores, merged). */
export const trainingShardsDir = (runDir: string, model: RunModel) => join(modelDir(runDir, model), 'training-shards');
/** Unet-A's labels of the training cohort and the shards drawn from them for Unet-B. */
export const relabelDir = (runDir: string) => stageDir(runDir, 'relabel');
export const relabelShardsDir = (runDir: string) => join(relabelDir(runDir), 'shards');
/** ONNX files and their parity reports. */
export const exportDir = (runDir: string) => stageDir(runDir, 'export');
export const onnxFile = (runDir: string, model: RunModel) => join(exportDir(runDir), `${model}.onnx`);
export const verifyFile = (runDir: string, model?: RunModel) => join(exportDir(runDir), model ? `verify-${model}.json` : 'verify.json');
/** Evaluation outputs. */
export const evaluateDir = (runDir: string) => stageDir(runDir, 'evaluate');
/** Predictions of the held-out cases: Unet-B's are the run's `predict` outputs, Unet-A's sit under evaluate/. */
export const predictionsDir = (runDir: string, model: RunModel) => (model === 'unet-b' ? stageDir(runDir, 'predict') : join(evaluateDir(runDir), model));
export const summaryFile = (runDir: string) => join(evaluateDir(runDir), 'summary.json');
export const perCaseFile = (runDir: string, model: string, ext: 'csv' | 'json' = 'csv') => join(evaluateDir(runDir), `${model}-per-case.${ext}`);
export const sliceScoresFile = (runDir: string) => join(evaluateDir(runDir), 'slices.json');
export const lesionBudgetFile = (runDir: string) => join(evaluateDir(runDir), 'lesion-budget.json');
export const tablesFile = (runDir: string) => join(evaluateDir(runDir), 'tables.md');
/** Reference labels of the held-out cases, as evaluate reads them. */
export const truthDir = (runDir: string) => join(evaluateDir(runDir), 'truth');
/** The run report: index.html and its pictures. */
export const reportDir = (runDir: string) => stageDir(runDir, 'report');
export const galleryFile = (runDir: string) => join(reportDir(runDir), 'gallery.json');
