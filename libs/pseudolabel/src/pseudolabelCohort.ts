import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processCases, readLabelVolume, readVolume, addCaseSlices, ShardWriter, startProgress, writeJsonAtomic, writeLabelVolume, type ShardIndex, type Volume, LABEL, type CaseRun } from '@covseg/io';
import type { CohortImage } from './clusterCohort.js';
import type { PseudolabelConfig } from './config.js';
import type { FeatureExtractor } from './featureSource.js';
import type { KMeansModel } from './kmeansModel.js';
import { pseudolabelVolume, type CaseLabelStats } from './pseudolabelCase.js';
import { sampleSlices } from './sampleSlices.js';

export interface PseudolabelCohortOptions {
  model: KMeansModel;
  extract: FeatureExtractor;
  config: PseudolabelConfig;
  /** Draw the shard store after labelling (false for a `--shard k/n` worker; a final unsharded run draws). */
  draw: boolean;
  /** Provenance stored in the shard index (e.g. kmeans.json checksum). */
  meta?: Record<string, unknown>;
  quiet?: boolean;
  read?: (c: CohortImage) => Promise<Volume>;
  onError?: (id: string, error: string) => void;
}

/** `reused`: cases whose label volume already existed (resume); `failed`: with the first line of their error. */
export interface PseudolabelCohortResult extends Pick<CaseRun, 'reused' | 'failed'> {
  labelled: string[];
  /** The shard store's index when drawn by this run. */
  shards?: ShardIndex;
  /** True when DIR/shards already held a complete store. */
  alreadyDrawn?: boolean;
}

/** DIR/labels/<id>.nii.gz: written last, atomically, so its presence means the case is complete. */
export const caseLabelPath = (dir: string, id: string) => join(dir, 'labels', `${id}.nii.gz`);
const statsPath = (dir: string, id: string) => join(dir, 'labels', `${id}.json`);

/** Per-slice lung pixels of a labelled case (from its stats file, else recounted from the labels). */
async function lungPixelsOf(dir: string, id: string): Promise<number[]> {
  if (existsSync(statsPath(dir, id))) return (JSON.parse(readFileSync(statsPath(dir, id), 'utf8')) as CaseLabelStats).lungPixels;
  const l = await readLabelVolume(caseLabelPath(dir, id));
  const plane = l.shape[1] * l.shape[2];
  return Array.from({ length: l.shape[0] }, (_, z) => {
    let n = 0;
    for (let i = z * plane; i < (z + 1) * plane; i++) if (l.data[i] >= LABEL.lung) n++;
    return n;
  });
}

/**
 * What a killed earlier run left in DIR: temp files (`.tmp-<pid>-…`, half-written) in labels/, and a
 * shard store without index.json (never finished). Only the drawing run calls it: it runs alone (the
 * one run, or the merge after every `--shard` worker finished), so no live writer owns these files.
 */
function removeLeftovers(dir: string): void {
  const labels = join(dir, 'labels');
  if (existsSync(labels)) for (const f of readdirSync(labels)) if (f.startsWith('.tmp-')) rmSync(join(labels, f), { force: true, recursive: true });
  const shards = join(dir, 'shards');
  if (existsSync(shards) && !existsSync(join(shards, 'index.json'))) rmSync(shards, { recursive: true, force: true });
}

/**
 * `covseg pseudolabel`: labels every case into DIR/labels/<id>.nii.gz (resumable: an existing label
 * file is a finished case), then draws `slices` random slices per the config into DIR/shards.
 */
export async function pseudolabelCohort(cases: readonly CohortImage[], dir: string, opts: PseudolabelCohortOptions): Promise<PseudolabelCohortResult> {
  const read = opts.read ?? ((c: CohortImage) => readVolume(c.image, { allow2D: true }));
  if (opts.draw) removeLeftovers(dir);
  const run = await processCases(cases, {
    title: 'pseudolabel', quiet: opts.quiet, onError: opts.onError,
    isDone: (c) => existsSync(caseLabelPath(dir, c.id)),
    work: async (c) => {
      const volume = await read(c);
      const { labels, stats } = pseudolabelVolume(volume, await opts.extract(volume, c), opts.model, opts.config);
      writeJsonAtomic(statsPath(dir, c.id), stats);
      await writeLabelVolume(caseLabelPath(dir, c.id), labels);
    },
  });
  const result: PseudolabelCohortResult = { labelled: run.processed, reused: run.reused, failed: run.failed };
  if (!opts.draw) return result;
  const shardDir = join(dir, 'shards');
  if (existsSync(join(shardDir, 'index.json'))) return { ...result, alreadyDrawn: true };
  const done = [...cases].filter((c) => existsSync(caseLabelPath(dir, c.id))).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const perCase = [];
  for (const c of done) perCase.push({ caseId: c.id, lungPixels: await lungPixelsOf(dir, c.id) });
  const draw = sampleSlices(perCase, opts.config.slices, opts.config.minLungPixels, opts.config.seed);
  const { slices, seed, minLungPixels } = opts.config;
  const writer = new ShardWriter(shardDir, { maxShardBytes: opts.config.maxShardBytes, meta: { source: 'pseudolabel', slices, seed, minLungPixels, ...opts.meta } });
  const write = startProgress('pseudolabel: write shards', done.length, { quiet: opts.quiet });
  try {
    for (let i = 0; i < done.length; i++) {
      const c = done[i];
      const zs = draw[i].slices;
      if (zs.length === 0) continue;
      addCaseSlices(writer, c.id, await read(c), (await readLabelVolume(caseLabelPath(dir, c.id))).data, zs);
      write.tick(c.id);
    }
  } catch (e) {
    writer.abort(); // no partial store
    throw e;
  } finally {
    write.stop();
  }
  return { ...result, shards: writer.close() };
}
