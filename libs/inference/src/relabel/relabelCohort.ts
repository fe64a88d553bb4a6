import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  processCases, readLabelVolume, readVolume, addCaseSlices, ShardWriter, sliceKey, startProgress, writeJsonAtomic, writeLabelVolume, type SliceRecord, type Volume, isLesion, type CaseRun } from '@covseg/io';
import type { PredictConfig } from '../config.js';
import type { Segmenter } from '../segmenter.js';
import { segmentVolume } from '../segmentVolume.js';
import type { RelabelConfig } from './config.js';
import { selectSlices, type SliceCandidate, type SliceSelection } from './selectSlices.js';

/** A case to relabel: id and readable CT path. */
export interface RelabelCase {
  id: string;
  image: string;
}

/** DIR/labels/<id>.slices.json: per-slice statistics of a segmented case (written before its labels). */
interface SliceStats {
  lesionPixels: number[];
  lungPixels: number[];
  confidence: (number | null)[];
}

/** Relabel's segmentation options from the `predict` section (the command and the pipeline stage use the same). */
export function relabelPredictOptions(predict: PredictConfig): RelabelOptions['predict'] {
  return { batchSize: predict.batchSize, testTimeFlip: predict.testTimeFlip, postprocess: predict.postprocess, connectivity: predict.report.connectivity };
}

export interface RelabelOptions {
  segmenter: Segmenter;
  predict: Pick<PredictConfig, 'batchSize' | 'postprocess'> & Partial<Pick<PredictConfig, 'testTimeFlip'>> & { connectivity: 6 | 26 };
  relabel: RelabelConfig;
  /** Draw slices after segmenting (false for a `--shard k/n` worker: a final unsharded run draws). */
  draw: boolean;
  lungMask?: (v: Volume) => Uint8Array | undefined | Promise<Uint8Array | undefined>;
  /** Provenance stored in the shard index. */
  meta?: Record<string, unknown>;
  /** Slices corrected by a person (Unet-A's store): written as they are, flagged corrected; the model's labels of the same slices are not drawn. */
  corrected?: readonly SliceRecord[];
  quiet?: boolean;
  onError?: (id: string, error: string) => void;
}

/** `reused`: cases whose labels already existed (resume); `failed`: with the first line of their error. */
export interface RelabelResult extends Pick<CaseRun, 'reused' | 'failed'> {
  segmented: string[];
  selection?: SliceSelection;
  /** True when DIR/shards already held a complete store (nothing redrawn). */
  alreadyDrawn?: boolean;
}

const labelsPath = (dir: string, id: string) => join(dir, 'labels', `${id}.nii.gz`);
const statsPath = (dir: string, id: string) => join(dir, 'labels', `${id}.slices.json`);

/** Per-slice lesion / lung pixel counts of a label volume. */
function statsOf(data: Uint8Array, shape: [number, number, number], confidence: ArrayLike<number> | null): SliceStats {
  const plane = shape[1] * shape[2];
  const s: SliceStats = { lesionPixels: [], lungPixels: [], confidence: [] };
  for (let z = 0; z < shape[0]; z++) {
    let lesion = 0, lung = 0;
    for (let i = z * plane; i < (z + 1) * plane; i++) {
      const v = data[i];
      if (v >= 1 && v <= 4) lung++;
      if (isLesion(v)) lesion++;
    }
    s.lesionPixels.push(lesion);
    s.lungPixels.push(lung);
    s.confidence.push(confidence ? confidence[z] : null);
  }
  return s;
}

/** Segments one case into DIR/labels/ (stats first, labels last, so labels mean "complete"). */
async function segmentCase(c: RelabelCase, dir: string, opts: RelabelOptions): Promise<void> {
  const volume = await readVolume(c.image, { allow2D: true });
  const lungMask = opts.lungMask ? await opts.lungMask(volume) : undefined;
  const seg = await segmentVolume(volume, opts.segmenter, { ...opts.predict, lungMask, quiet: true });
  writeJsonAtomic(statsPath(dir, c.id), statsOf(seg.labels.data, seg.labels.shape, seg.sliceConfidence));
  await writeLabelVolume(labelsPath(dir, c.id), seg.labels);
}

/** Per-slice stats of a case; recomputed from its labels when the stats file is missing (confidence then unknown). */
async function readStats(dir: string, id: string): Promise<SliceStats> {
  if (existsSync(statsPath(dir, id))) return JSON.parse(readFileSync(statsPath(dir, id), 'utf8'));
  const l = await readLabelVolume(labelsPath(dir, id));
  return statsOf(l.data, l.shape, null);
}

/**
 * `covseg relabel`: segments every case with a trained model into DIR/labels/<id>.nii.gz (resumable:
 * existing labels are kept), then draws slices (lesion fraction, confidence filter, seeded) into a
 * shard store DIR/shards holding the CT slice and the model's labels, plus the `corrected` slices as
 * they are (a drawn slice with a corrected one's key is left out).
 */
export async function relabelCohort(cases: readonly RelabelCase[], dir: string, opts: RelabelOptions): Promise<RelabelResult> {
  const run = await processCases(cases, {
    title: `relabel (${opts.segmenter.name})`, quiet: opts.quiet, onError: opts.onError,
    isDone: (c) => existsSync(labelsPath(dir, c.id)),
    work: (c) => segmentCase(c, dir, opts),
  });
  const result: RelabelResult = { segmented: run.processed, reused: run.reused, failed: run.failed };
  if (!opts.draw) return result;
  const shardDir = join(dir, 'shards');
  if (existsSync(join(shardDir, 'index.json'))) return { ...result, alreadyDrawn: true };
  const done = cases.filter((c) => existsSync(labelsPath(dir, c.id)));
  const candidates: SliceCandidate[] = [];
  for (const c of done) {
    const s = await readStats(dir, c.id);
    s.lesionPixels.forEach((lesionPixels, z) => candidates.push({ caseId: c.id, z, lesionPixels, lungPixels: s.lungPixels[z], confidence: s.confidence[z] }));
  }
  const selection = selectSlices(candidates, opts.relabel);
  const corrected = opts.corrected ?? [];
  const fixedKeys = new Set(corrected.map((r) => r.key));
  const drawn = selection.chosen.filter((s) => !fixedKeys.has(sliceKey(s.caseId, s.z)));
  const writer = new ShardWriter(shardDir, {
    maxShardBytes: opts.relabel.maxShardBytes,
    meta: { source: 'relabel', model: opts.segmenter.name, ...opts.meta, relabel: opts.relabel, lesion: selection.lesion, healthy: selection.healthy, droppedLowConfidence: selection.droppedLowConfidence, correctedKept: corrected.length, drawnReplacedByCorrected: selection.chosen.length - drawn.length },
  });
  const byCase = new Map<string, number[]>();
  for (const s of drawn) byCase.set(s.caseId, [...(byCase.get(s.caseId) ?? []), s.z]);
  const write = startProgress('relabel: write shards', byCase.size, { quiet: opts.quiet });
  try {
    for (const c of done) {
      const zs = byCase.get(c.id);
      if (!zs) continue;
      addCaseSlices(writer, c.id, await readVolume(c.image, { allow2D: true }), (await readLabelVolume(labelsPath(dir, c.id))).data, zs);
      write.tick(c.id);
    }
    for (const r of corrected) writer.add({ ...r, corrected: true });
  } catch (e) {
    writer.abort();
    throw e;
  } finally {
    write.stop();
  }
  writer.close();
  return { ...result, selection };
}
