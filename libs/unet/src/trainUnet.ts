import * as tf from '@tensorflow/tfjs';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { aboutFile, configHash, InputError, replaceDirAtomic, rngFor, startStepProgress } from '@covseg/io';
import { Adam } from './adam.js';
import { learningRateAt } from './learningRate.js';
import { listCheckpoints, loadCheckpoint, saveCheckpoint, CHECKPOINTS_DIR, type TrainState } from './checkpoint.js';
import { stepsPerEpochOf, type TrainConfig, type TrainingSections, type WindowConfig } from './config.js';
import { epochOrder, loadBatch, openDataset, splitByPatient, type Batch, type SliceDataset } from './dataset.js';
import { selectionScore, writeCurves, writeMetrics, type EpochMetrics } from './epochMetrics.js';
import { correctedSampleWeights, oneHotLabels, segmentationLoss } from './loss.js';
import { argmaxLabels, Confusion } from './metrics.js';
import { buildUnet, CLASS_COUNT, dropoutLayers } from './model.js';
import { loadUnet, saveUnet, unetInfo, UNET_JSON } from './savedUnet.js';
import { MODEL_JSON, WEIGHTS_BIN } from './modelFiles.js';

export interface TrainOptions {
  /** Shard store folder. */
  shards: string;
  /** Model folder (created): model.json, weights.bin, unet.json, checkpoints/, metrics.jsonl, curves.svg, best/. */
  out: string;
  /** Model name recorded in unet.json (unet-a, unet-b). */
  name: string;
  sections: TrainingSections;
  /** Continue from the newest checkpoint in OUT/checkpoints. */
  resume?: boolean;
  /** A model folder of the same architecture whose weights start a new run (e.g. Unet-B from Unet-A); default: random. */
  initialWeights?: string;
  /** Abort (e.g. on SIGINT): the current step finishes, a checkpoint is saved, training returns 'interrupted'. */
  signal?: AbortSignal;
  progress?: boolean;
  backend?: string;
  log?: (line: string) => void;
  /** Called after each epoch's checkpoint is written. */
  onEpochEnd?: (m: EpochMetrics) => void;
  /** Called after each training step (0-based epoch and step). */
  onStep?: (epoch: number, step: number, loss: number) => void;
}

export interface TrainResult {
  status: 'completed' | 'early-stopped' | 'interrupted';
  /** Epochs finished in total (including before a resume). */
  epochs: number;
  bestEpoch: number;
  bestScore: number | null;
  history: EpochMetrics[];
}

/** Trains a U-Net on a shard store with checkpoints, resume, best-model keeping and early stopping. */
export async function trainUnet(opts: TrainOptions): Promise<TrainResult> {
  const { unet: netCfg, augment, train } = opts.sections;
  const log = opts.log ?? (() => {});
  const ds = openDataset(opts.shards);
  const split = aboutFile(opts.shards, () => splitByPatient(ds.index.slices, train.validationFraction, train.seed));
  if (split.train.length === 0) throw new InputError('no training slices left after the patient split', opts.shards);
  const validationIds = capValidation(split.validation, train.validationMaxSlices, train.seed);
  const stepsPerEpoch = stepsPerEpochOf(train, split.train.length);
  const hash = configHash(opts.sections);
  log(`train: ${split.train.length} training slices, ${validationIds.length} validation slices (${split.validationCases.length} patient(s) held out), ${stepsPerEpoch} steps/epoch`);

  mkdirSync(opts.out, { recursive: true });
  const existing = listCheckpoints(opts.out);
  let model: tf.LayersModel;
  let state: TrainState;
  let optimizerState = null;
  if (opts.resume && existing.length) {
    const ckpt = await loadCheckpoint(join(opts.out, CHECKPOINTS_DIR, existing[existing.length - 1]));
    if (ckpt.state.trainingConfigHash !== hash) throw new InputError('training config differs from the one the checkpoint was made with; resume with the same config or train into a new folder', opts.out);
    ({ model, state } = ckpt);
    optimizerState = ckpt.optimizer;
    log(state.epoch >= train.epochs ? `train: already finished (${existing[existing.length - 1]}); raise train.epochs to continue` : `train: resuming at epoch ${state.epoch + 1}, step ${state.step} (${existing[existing.length - 1]})`);
  } else {
    if (existing.length) throw new InputError('folder already holds a training run; pass --resume to continue it or choose another --out', opts.out);
    model = buildUnet(netCfg);
    if (opts.initialWeights) await copyWeightsFrom(opts.initialWeights, model, netCfg, log);
    state = { epoch: 0, step: 0, seed: train.seed, rngState: rngFor(train.seed, 0).state(), epochLossSum: 0, epochSteps: 0, bestScore: null, bestEpoch: 0, epochsWithoutImprovement: 0, history: [], trainingConfigHash: hash };
  }
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const adam = new Adam(train.learningRate, train.adam, vars);
  if (optimizerState) adam.setState(optimizerState);
  const dropouts = dropoutLayers(model);
  const bar = startStepProgress(opts.progress ?? false);
  let rewriteMetrics = true;
  let status: TrainResult['status'] = 'completed';

  try {
    const size = netCfg.inputSize;
    epochs: for (let epoch = state.epoch; epoch < train.epochs; epoch++) {
      const started = Date.now();
      const epochRng = rngFor(train.seed, epoch);
      state.rngState = epochRng.state();
      const order = epochOrder(ds.index.slices, split.train, stepsPerEpoch * train.batchSize, train, epochRng);
      bar.start(stepsPerEpoch, state.step, `epoch ${epoch + 1}/${train.epochs}`);
      for (let step = state.step; step < stepsPerEpoch; step++) {
        const batch = loadBatch(ds, order.slice(step * train.batchSize, (step + 1) * train.batchSize), size, netCfg.window, { cfg: augment, seed: train.seed, epoch, step });
        const dropoutSeed = rngFor(train.seed, epoch, step, DROPOUT_STREAM).uint32();
        const lr = learningRateAt(epoch * stepsPerEpoch + step, train.epochs * stepsPerEpoch, train.learningRate, train.schedule);
        const loss = await trainStep(model, adam, vars, batch, train.loss, dropouts, dropoutSeed, lr);
        if (!Number.isFinite(loss)) throw new Error(`training loss became ${loss} at epoch ${epoch + 1}, step ${step + 1} (batch ${batch.keys.join(', ')}); lower train.learningRate`);
        state.epochLossSum += loss;
        state.epochSteps++;
        state.step = step + 1;
        bar.update(step + 1, state.epochLossSum / state.epochSteps);
        opts.onStep?.(epoch, step, loss);
        await yieldToEventLoop(); // lets a SIGINT handler run between steps
        const periodic = train.checkpointEverySteps > 0 && state.step % train.checkpointEverySteps === 0 && state.step < stepsPerEpoch;
        if (opts.signal?.aborted || periodic) {
          await saveCheckpoint(opts.out, model, await adam.getState(), state, train.keepCheckpoints);
          if (opts.signal?.aborted) {
            status = 'interrupted';
            break epochs;
          }
        }
      }
      bar.stop();
      const val = validationIds.length ? await validate(model, ds, validationIds, size, netCfg.window, train) : null;
      const dice: Record<string, number | null> = val ? val.confusion.dice() : {};
      const score = val ? selectionScore(dice) : null;
      const improved = state.bestScore === null || (score !== null && score > state.bestScore + train.earlyStopping.minDelta) || !val;
      const metrics: EpochMetrics = { epoch: epoch + 1, steps: state.epochSteps, trainLoss: state.epochLossSum / state.epochSteps, validationLoss: val ? val.loss : null, dice, score, improved, seconds: (Date.now() - started) / 1000 };
      state.history.push(metrics);
      if (improved) {
        state.bestScore = score ?? state.bestScore;
        state.bestEpoch = epoch + 1;
        state.epochsWithoutImprovement = 0;
        await writeBestModel(opts, model, hash, epoch + 1, dice);
      } else state.epochsWithoutImprovement++;
      Object.assign(state, { epoch: epoch + 1, step: 0, epochLossSum: 0, epochSteps: 0 });
      await saveCheckpoint(opts.out, model, await adam.getState(), state, train.keepCheckpoints);
      writeMetrics(opts.out, state.history, rewriteMetrics);
      rewriteMetrics = false;
      writeCurves(opts.out, state.history);
      log(`epoch ${epoch + 1}: train loss ${metrics.trainLoss.toFixed(4)}, validation loss ${metrics.validationLoss?.toFixed(4) ?? '-'}, lesion Dice ${fmtDice(dice.lesion)}${improved ? ' (best)' : ''}`);
      opts.onEpochEnd?.(metrics);
      if (train.earlyStopping.patience > 0 && state.epochsWithoutImprovement >= train.earlyStopping.patience) {
        status = 'early-stopped';
        log(`train: early stop, no improvement for ${state.epochsWithoutImprovement} epochs (best epoch ${state.bestEpoch})`);
        break;
      }
      if (opts.signal?.aborted) {
        status = 'interrupted';
        break;
      }
    }
  } finally {
    bar.stop();
    adam.dispose();
    model.dispose();
  }
  return { status, epochs: state.history.length, bestEpoch: state.bestEpoch, bestScore: state.bestScore, history: state.history };
}

/** Starts `model` from the weights of the model folder `dir`, which must have the same architecture. */
export async function copyWeightsFrom(dir: string, model: tf.LayersModel, netCfg: TrainingSections['unet'], log: (line: string) => void): Promise<void> {
  const source = await loadUnet(dir);
  try {
    const differs = (Object.keys(netCfg) as (keyof typeof netCfg)[]).filter((k) => k !== 'seed' && JSON.stringify(source.info.unet[k]) !== JSON.stringify(netCfg[k]));
    if (differs.length) throw new InputError(`initial weights come from a different architecture (${differs.map((k) => `unet.${k}`).join(', ')})`, dir);
    model.setWeights(source.model.getWeights());
    log(`train: starting from the weights of ${dir} (epoch ${source.info.epoch})`);
  } finally {
    source.model.dispose();
  }
}

/** Stream key for dropout seeds, apart from the per-sample augmentation streams (0, 1, …). */
const DROPOUT_STREAM = 0x7fffffff;

/**
 * One optimisation step on a batch; resolves to its loss. Leaves no tensors behind. Reads back
 * asynchronously: the webgpu backend has no synchronous read in Node (its dataSync needs OffscreenCanvas).
 */
export async function trainStep(model: tf.LayersModel, adam: Adam, vars: tf.Variable[], batch: Batch, lossCfg: TrainConfig['loss'], dropouts: { seed?: number }[] = [], dropoutSeed = 0, lr?: number): Promise<number> {
  // tfjs reuses a Dropout layer's seed on every call; a fresh seed per step gives new masks that replay on resume.
  dropouts.forEach((d, i) => (d.seed = (dropoutSeed + i) >>> 0));
  const value = tf.tidy(() => {
    const x = tf.tensor4d(batch.x, [batch.count, batch.size, batch.size, 1]);
    const y = oneHotLabels(batch.y, batch.count, batch.size, CLASS_COUNT);
    const { value, grads } = tf.variableGrads(() => segmentationLoss(y, model.apply(x, { training: true }) as tf.Tensor4D, lossCfg, correctedSampleWeights(batch, lossCfg.correctedWeight)), vars);
    adam.apply(grads, lr);
    return value;
  });
  try {
    return (await value.data())[0];
  } finally {
    value.dispose();
  }
}

/** Validation loss (mean over slices) and confusion counts, no augmentation. */
export async function validate(model: tf.LayersModel, ds: SliceDataset, ids: readonly number[], size: number, window: WindowConfig, train: TrainConfig): Promise<{ loss: number; confusion: Confusion }> {
  const confusion = new Confusion();
  let lossSum = 0;
  for (let i = 0; i < ids.length; i += train.batchSize) {
    const batch = loadBatch(ds, ids.slice(i, i + train.batchSize), size, window);
    const [loss, probs] = tf.tidy(() => {
      const p = model.predict(tf.tensor4d(batch.x, [batch.count, size, size, 1])) as tf.Tensor4D;
      return [segmentationLoss(oneHotLabels(batch.y, batch.count, size, CLASS_COUNT), p, train.loss), p];
    });
    try {
      lossSum += (await loss.data())[0] * batch.count;
      confusion.add(batch.y, argmaxLabels((await probs.data()) as Float32Array, CLASS_COUNT));
    } finally {
      tf.dispose([loss, probs]);
    }
  }
  return { loss: lossSum / ids.length, confusion };
}

/** A fixed (seeded) subset of at most `max` validation slices, in index order. */
function capValidation(ids: number[], max: number, seed: number): number[] {
  if (max === 0 || ids.length <= max) return ids;
  return rngFor(seed, VALIDATION_STREAM).shuffle(ids.slice()).slice(0, max).sort((a, b) => a - b);
}
const VALIDATION_STREAM = 0x7ffffffe;

/** Writes OUT/best/ (temp folder + rename) and copies it to OUT/ itself, the model `predict` and export read. */
async function writeBestModel(opts: TrainOptions, model: tf.LayersModel, hash: string, epoch: number, dice: Record<string, number | null>): Promise<void> {
  const info = unetInfo(opts.name, opts.sections.unet, hash, epoch, dice, opts.backend);
  const best = join(opts.out, 'best');
  const tmp = join(opts.out, `.tmp-best-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  await saveUnet(model, info, tmp);
  replaceDirAtomic(tmp, best);
  // Top level: weights first, unet.json last, each by atomic rename of a copy.
  for (const f of [WEIGHTS_BIN, MODEL_JSON, UNET_JSON]) {
    const t = join(opts.out, `.tmp-${process.pid}-${f}`);
    cpSync(join(best, f), t);
    renameSync(t, join(opts.out, f));
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function fmtDice(d: number | null | undefined): string {
  return d === null || d === undefined ? '-' : d.toFixed(3);
}
