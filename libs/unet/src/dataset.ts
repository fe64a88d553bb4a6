import { statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, readShardIndex, readSlice, LABEL_COUNT, LESION_LABELS, rngFor, xoshiroRng, type Rng, type ShardIndex, type SliceEntry } from '@covseg/io';
import type { AugmentConfig, TrainConfig, WindowConfig } from './config.js';
import { augmentPair, drawAugmentParams, IDENTITY_AUGMENT } from './augment.js';
import { normalizeWindow } from './normalize.js';
import { resizeBilinear, resizeNearest } from './resize.js';
import { oversampleCorrected } from './oversampleCorrected.js';

/** A shard store opened for training: its index (slice metadata only, no pixels) and location. */
export interface SliceDataset {
  dir: string;
  index: ShardIndex;
}

/** Opens a shard store (index validated by readShardIndex) and checks every entry against its shard file's size. */
export function openDataset(dir: string): SliceDataset {
  const index = readShardIndex(dir);
  const shardBytes = index.shards.map((s) => {
    try {
      return statSync(join(dir, s.file)).size;
    } catch {
      throw new InputError('shard file listed in index.json is missing', join(dir, s.file));
    }
  });
  for (const e of index.slices) {
    // sizes and label counts are validated by readShardIndex; the shard files themselves are checked here
    const n = e.height * e.width;
    if (shardBytes[e.shard] === undefined || e.offset + 3 * n > shardBytes[e.shard]) throw new InputError(`slice ${e.key} (${e.width}×${e.height}) runs past the end of its shard`, join(dir, index.shards[e.shard]?.file ?? 'index.json'));
  }
  return { dir, index };
}

/** Slice indices of the training and validation splits; no patient (caseId) is in both. */
export interface PatientSplit {
  train: number[];
  validation: number[];
  validationCases: string[];
}

/**
 * Splits by caseId: ⌈fraction·cases⌉ cases to validation, drawn by a seeded shuffle of the sorted case list
 * separately among cases with lesion pixels and cases without, in proportion, so that validation (which selects
 * the best model and stops early on lesion Dice) holds lesions whenever training keeps at least one lesion case too.
 * Cases with a corrected slice are never drawn (fewer validation cases when too few others are left).
 */
export function splitByPatient(slices: readonly SliceEntry[], fraction: number, seed: number): PatientSplit {
  const cases = [...new Set(slices.map((s) => s.caseId))].sort();
  let nVal = fraction > 0 ? Math.max(1, Math.ceil(fraction * cases.length)) : 0;
  if (nVal > 0 && cases.length < 2) throw new InputError(`a patient-wise validation split needs at least 2 cases, the store has ${cases.length}`);
  nVal = Math.min(nVal, cases.length - 1);
  // a person's corrections are the scarcest labels: patients with a corrected slice always train
  const correctedCases = new Set(slices.filter((s) => s.corrected).map((s) => s.caseId));
  const shuffled = xoshiroRng([seed >>> 0, 0x6a09e667, 0xbb67ae85, cases.length]).shuffle(cases.slice()).filter((c) => !correctedCases.has(c));
  nVal = Math.min(nVal, shuffled.length);
  const lesionCases = new Set(slices.filter((s) => LESION_LABELS.some((k) => s.classCounts[k] > 0)).map((s) => s.caseId));
  const withLesion = shuffled.filter((c) => lesionCases.has(c));
  const without = shuffled.filter((c) => !lesionCases.has(c));
  const lesionShare = withLesion.length < 2 ? 0 : Math.min(withLesion.length - 1, Math.max(1, Math.round((nVal * withLesion.length) / shuffled.length)));
  const nLesion = Math.min(lesionShare, nVal);
  const nWithout = Math.min(without.length, nVal - nLesion);
  // too few cases of one kind: the other kind fills the quota (training keeps one lesion case when it can)
  const valCases = new Set([...withLesion.slice(0, nLesion + (nVal - nLesion - nWithout)), ...without.slice(0, nWithout)]);
  const train: number[] = [];
  const validation: number[] = [];
  slices.forEach((s, i) => (valCases.has(s.caseId) ? validation : train).push(i));
  return { train, validation, validationCases: [...valCases].sort() };
}

/**
 * Sampling weight per slice for class-balanced sampling: the rarest class present in a slice
 * (by number of slices containing it) sets its weight, so slices with lesions are drawn more often.
 */
export function classBalancedWeights(slices: readonly SliceEntry[], ids: readonly number[]): number[] {
  const present = new Array(LABEL_COUNT).fill(0);
  for (const i of ids) slices[i].classCounts.forEach((c, k) => c > 0 && present[k]++);
  return ids.map((i) => Math.max(...slices[i].classCounts.map((c, k) => (c > 0 ? 1 / present[k] : 0))));
}

/**
 * The slice order of one epoch (indices into the index), `count` long. Plain mode: shards in a random
 * order, slices of a shard in file order, then a shuffle buffer of `shuffleBuffer` entries — reads stay
 * local to a few shards (page-cache friendly) while the order is well mixed. Balanced mode draws with
 * replacement by `classBalancedWeights`. Both draw from the ids with corrected slices repeated
 * (`oversampleCorrected`, factor `correctedOversample`).
 */
export function epochOrder(slices: readonly SliceEntry[], all: readonly number[], count: number, cfg: Pick<TrainConfig, 'shuffleBuffer' | 'classBalanced' | 'correctedOversample'>, rng: Rng): number[] {
  if (all.length === 0) throw new InputError('the training split holds no slices');
  const ids = oversampleCorrected(slices, all, cfg.correctedOversample, rng);
  if (cfg.classBalanced) {
    const w = classBalancedWeights(slices, ids);
    const cum = new Float64Array(w.length);
    w.reduce((acc, v, i) => (cum[i] = acc + v), 0);
    const total = cum[cum.length - 1];
    return Array.from({ length: count }, () => {
      const r = rng.next() * total;
      let lo = 0;
      let hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] > r) hi = mid;
        else lo = mid + 1;
      }
      return ids[lo];
    });
  }
  const out: number[] = [];
  while (out.length < count) {
    const byShard = new Map<number, number[]>();
    for (const i of ids) {
      const s = slices[i].shard;
      if (!byShard.has(s)) byShard.set(s, []);
      byShard.get(s)!.push(i);
    }
    const stream = rng.shuffle([...byShard.keys()].sort((a, b) => a - b)).flatMap((s) => byShard.get(s)!);
    out.push(...shuffleBuffer(stream, cfg.shuffleBuffer, rng));
  }
  return out.slice(0, count);
}

/** Classic streaming shuffle buffer: holds `size` items, emits a random one as each new item arrives. */
export function shuffleBuffer<T>(stream: Iterable<T>, size: number, rng: Rng): T[] {
  const buf: T[] = [];
  const out: T[] = [];
  for (const item of stream) {
    if (buf.length < size) {
      buf.push(item);
      continue;
    }
    const j = rng.int(0, size - 1);
    out.push(buf[j]);
    buf[j] = item;
  }
  rng.shuffle(buf);
  return out.concat(buf);
}

/** One batch in network layout: x [B·S·S] normalised intensities, y [B·S·S] label values. */
export interface Batch {
  x: Float32Array;
  y: Uint8Array;
  size: number;
  count: number;
  keys: string[];
  /** Per slice of the batch: its labels were corrected by a person (shard index flag). */
  corrected: boolean[];
}

/** Reads one slice and prepares it for the network: window, resize to size×size, optional augmentation. */
export function prepareSlice(ds: SliceDataset, entry: SliceEntry, size: number, window: WindowConfig, augment: AugmentConfig | null, rng: Rng | null): { image: Float32Array; label: Uint8Array } {
  const rec = readSlice(ds.dir, entry);
  const source = `${ds.dir} (slice ${entry.key})`;
  const n = entry.height * entry.width;
  if (rec.image.length !== n || rec.label.length !== n) throw new InputError(`slice ${entry.key}: image/label size does not match ${entry.width}×${entry.height}`, ds.dir);
  for (let i = 0; i < n; i++) if (rec.label[i] >= LABEL_COUNT) throw new InputError(`slice ${entry.key}: label value ${rec.label[i]} outside 0–${LABEL_COUNT - 1}`, ds.dir);
  const norm = normalizeWindow(rec.image, window, undefined, source);
  const image = resizeBilinear(norm, entry.height, entry.width, size, size);
  const label = resizeNearest(rec.label, entry.height, entry.width, size, size);
  if (!augment || !rng) return { image, label };
  const params = augment.enabled ? drawAugmentParams(augment, rng) : IDENTITY_AUGMENT;
  return augmentPair(image, label, size, size, params, rng);
}

/**
 * Loads the slices `ids` into one batch. With `augment`, slice k of the batch uses the independent
 * stream rngFor(seed, epoch, step, k), so any batch can be rebuilt exactly on resume.
 */
export function loadBatch(ds: SliceDataset, ids: readonly number[], size: number, window: WindowConfig, augment?: { cfg: AugmentConfig; seed: number; epoch: number; step: number }): Batch {
  const px = size * size;
  const x = new Float32Array(ids.length * px);
  const y = new Uint8Array(ids.length * px);
  ids.forEach((id, k) => {
    const rng = augment ? rngFor(augment.seed, augment.epoch, augment.step, k) : null;
    const { image, label } = prepareSlice(ds, ds.index.slices[id], size, window, augment?.cfg ?? null, rng);
    x.set(image, k * px);
    y.set(label, k * px);
  });
  return { x, y, size, count: ids.length, keys: ids.map((i) => ds.index.slices[i].key), corrected: ids.map((i) => !!ds.index.slices[i].corrected) };
}
