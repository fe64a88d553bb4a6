import { throwIfStopRequested } from './interruption.js';
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomicSync } from './atomicWrite.js';
import { scanCohortSources, type CohortCase, type CohortSource } from './cohort.js';
import { readVolume, isVolumeFile, type ReadVolumeOptions } from './readVolume.js';
import { writeVolume } from './writeVolume.js';
import { huRange } from './huValues.js';
import { startProgress } from './progress.js';
import { scanSliceSources, sliceCaseReader } from './sliceCases.js';
import type { IngestConfig } from './config.js';

/** Options of `ingestCohort`: reader options, and for 2D mode the picture/window settings of the ingest config. */
export type IngestOptions = ReadVolumeOptions & { quiet?: boolean; onNote?: (file: string, note: string) => void } & Partial<Pick<IngestConfig, 'dimensions' | 'include' | 'window' | 'autoWindowScope' | 'imageSpacingMm' | 'autoWindow' | 'minHu'>>;

/**
 * Reads every case of the inputs, validates it, writes non-NIfTI sources as canonical int16 NIfTI
 * (DIR/volumes/<id>.nii.gz) and DIR/cohort.jsonl with one line per case; a bad case gets
 * status "error" with its reason and does not stop the others. In 2D mode every slice file is a case,
 * always written as a 1-slice NIfTI, with the window that turned a picture into HU.
 */
export async function ingestCohort(inputs: string[], outDir: string, opts: IngestOptions = {}): Promise<CohortCase[]> {
  if (opts.dimensions === '2d') return ingestSlices(inputs, outDir, opts);
  return ingestSources(scanCohortSources(inputs), outDir, 'ingest', opts, async (s) => {
    const v = await readVolume(s.source, opts);
    let image = s.source;
    if (!/\.nii(\.gz)?$/i.test(s.source) || !isVolumeFile(s.source)) {
      image = join(outDir, 'volumes', `${s.id}.nii.gz`);
      await writeVolume(image, v);
    }
    return { image, shape: v.shape, spacing: v.spacing, huRange: huRange(v.data) };
  });
}

/** 2D mode of `ingestCohort`: one 1-slice case per DICOM file or picture, always written as NIfTI. */
function ingestSlices(inputs: string[], outDir: string, opts: IngestOptions): Promise<CohortCase[]> {
  const sources = scanSliceSources(inputs, opts.include ?? null);
  const readSlice = sliceCaseReader(sources.map((s) => s.source), {
    window: opts.window ?? null, autoWindowScope: opts.autoWindowScope ?? 'picture', imageSpacingMm: opts.imageSpacingMm ?? [1, 1], autoWindow: opts.autoWindow!, minHu: opts.minHu ?? -1024,
  }, opts.onNote);
  return ingestSources(sources, outDir, 'ingest (2D)', opts, async (s) => {
    const { volume, window } = await readSlice(s.source);
    const image = join(outDir, 'volumes', `${s.id}.nii.gz`);
    await writeVolume(image, volume);
    const picture = window.kind !== 'hu' ? { window, original: { name: basename(s.source), bytes: statSync(s.source).size } } : {};
    return { image, shape: volume.shape, spacing: volume.spacing, huRange: huRange(volume.data), ...picture };
  });
}

/** Reads every source with `read` (a failure becomes status "error" with its reason), then writes DIR/cohort.jsonl. */
async function ingestSources(sources: CohortSource[], outDir: string, title: string, opts: { quiet?: boolean }, read: (s: CohortSource) => Promise<Partial<CohortCase>>): Promise<CohortCase[]> {
  const progress = startProgress(title, sources.length, opts);
  const cases: CohortCase[] = [];
  for (const s of sources) {
    throwIfStopRequested();
    try {
      cases.push({ ...s, ...(await read(s)), status: 'ok' });
    } catch (e) {
      cases.push({ ...s, status: 'error', error: (e as Error).message.split('\n')[0] });
    }
    progress.tick(s.id);
  }
  progress.stop();
  writeFileAtomicSync(join(outDir, 'cohort.jsonl'), cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
  return cases;
}
