import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, replaceDirAtomic, writeFileAtomicSync, writeJsonAtomic, type RngState } from '@covseg/io';
import type { AdamState } from './adam.js';
import type { EpochMetrics } from './epochMetrics.js';
import { loadModelFiles, saveModelFiles } from './modelFiles.js';

export const CHECKPOINTS_DIR = 'checkpoints';
const STATE_JSON = 'state.json';
const OPTIMIZER_BIN = 'optimizer.bin';
const OPTIMIZER_JSON = 'optimizer.json';

/** Where training stands: the next (epoch, step) to run plus everything a bit-exact resume needs. */
export interface TrainState {
  /** Next epoch to run, 0-based. */
  epoch: number;
  /** Next step within that epoch, 0-based. */
  step: number;
  seed: number;
  /**
   * State of the epoch's sampling stream rngFor(seed, epoch) at its start. Augmentation and dropout
   * draw from counter-based streams rngFor(seed, epoch, step, …), so (seed, epoch, step) fixes them.
   */
  rngState: RngState;
  /** Training-loss sum and step count of the unfinished epoch (for its mean). */
  epochLossSum: number;
  epochSteps: number;
  bestScore: number | null;
  bestEpoch: number;
  epochsWithoutImprovement: number;
  history: EpochMetrics[];
  trainingConfigHash: string;
}

/** Checkpoint folder name; sorts by (epoch, step). */
export function checkpointName(epoch: number, step: number): string {
  return `ckpt-e${String(epoch).padStart(4, '0')}-s${String(step).padStart(7, '0')}`;
}

/**
 * Writes weights, optimizer state and train state into a temp folder, then renames it into
 * OUT/checkpoints/ (a checkpoint is either complete or absent); keeps the newest `keep`.
 */
export async function saveCheckpoint(outDir: string, model: tf.LayersModel, optimizer: AdamState, state: TrainState, keep: number): Promise<string> {
  const root = join(outDir, CHECKPOINTS_DIR);
  mkdirSync(root, { recursive: true });
  const name = checkpointName(state.epoch, state.step);
  const tmp = join(root, `.tmp-${process.pid}-${name}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  await saveModelFiles(model, tmp);
  const total = optimizer.m.reduce((a, m) => a + m.length, 0);
  const bin = new Float32Array(2 * total);
  let o = 0;
  for (const arr of [...optimizer.m, ...optimizer.v]) {
    bin.set(arr, o);
    o += arr.length;
  }
  writeFileAtomicSync(join(tmp, OPTIMIZER_BIN), new Uint8Array(bin.buffer));
  writeJsonAtomic(join(tmp, OPTIMIZER_JSON), { step: optimizer.step, names: optimizer.names, lengths: optimizer.m.map((m) => m.length) });
  writeJsonAtomic(join(tmp, STATE_JSON), state);
  const final = join(root, name);
  replaceDirAtomic(tmp, final);
  for (const stale of listCheckpoints(outDir).slice(0, -keep)) rmSync(join(root, stale), { recursive: true, force: true });
  return final;
}

/** Complete checkpoints of a run, oldest first. */
export function listCheckpoints(outDir: string): string[] {
  const root = join(outDir, CHECKPOINTS_DIR);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => n.startsWith('ckpt-') && existsSync(join(root, n, STATE_JSON)))
    .sort();
}

/** Loads a checkpoint folder: model (with weights), optimizer state, train state. */
export async function loadCheckpoint(dir: string): Promise<{ model: tf.LayersModel; optimizer: AdamState; state: TrainState }> {
  const read = (f: string) => {
    const p = join(dir, f);
    if (!existsSync(p)) throw new InputError(`checkpoint is incomplete (no ${f})`, dir);
    return readFileSync(p);
  };
  const state = JSON.parse(read(STATE_JSON).toString('utf8')) as TrainState;
  const meta = JSON.parse(read(OPTIMIZER_JSON).toString('utf8')) as { step: number; names: string[]; lengths: number[] };
  const raw = read(OPTIMIZER_BIN);
  const bin = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const total = meta.lengths.reduce((a, b) => a + b, 0);
  if (bin.length !== 2 * total) throw new InputError(`optimizer.bin holds ${bin.length} values, expected ${2 * total}`, dir);
  const m: Float32Array[] = [];
  const v: Float32Array[] = [];
  let o = 0;
  for (const len of meta.lengths) (m.push(bin.slice(o, o + len)), (o += len));
  for (const len of meta.lengths) (v.push(bin.slice(o, o + len)), (o += len));
  const model = await loadModelFiles(dir);
  return { model, optimizer: { step: meta.step, names: meta.names, m, v }, state };
}
