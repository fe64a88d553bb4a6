import { join } from 'node:path';
import { writeFileAtomicSync } from './atomicWrite.js';
import { scanCohortSources, type CohortCase } from './cohort.js';
import { readVolume, isVolumeFile, type ReadVolumeOptions } from './readVolume.js';
import { writeVolume } from './writeVolume.js';
import { huRange } from './huValues.js';
import { startProgress } from './progress.js';
import { folderWindows, readSliceCase, scanSliceSources, type SliceWindow } from './sliceCases.js';
import { dirname } from 'node:path';
import type { IngestConfig } from './config.js';

/** Options of `ingestCohort`: reader options, and for 2D mode the picture/window settings of the ingest config. */
export type IngestOptions = ReadVolumeOptions & { quiet?: boolean } & Partial<Pick<IngestConfig, 'dimensions' | 'include' | 'window' | 'autoWindowScope' | 'imageSpacingMm' | 'autoWindow' | 'minHu'>>;

/**
 * Reads every case of the inputs, validates it, writes non-NIfTI sources as canonical int16 NIfTI
 * (DIR/volumes/<id>.nii.gz) and DIR/cohort.jsonl with one line per case; a bad case gets
 * status "error" with its reason and does not stop the others. In 2D mode every slice file is a case,
 * always written as a 1-slice NIfTI, with the window that turned a picture into HU.
 */
export async function ingestCohort(inputs: string[], outDir: string, opts: IngestOptions = {}): Promise<CohortCase[]> {
  if (opts.dimensions === '2d') return ingestSlices(inputs, outDir, opts);
  const sources = scanCohortSources(inputs);
  const progress = startProgress('ingest', sources.length, opts);
  const cases: CohortCase[] = [];
  for (const s of sources) {
    try {
      const v = await readVolume(s.source, opts);
      let image = s.source;
      if (!/\.nii(\.gz)?$/i.test(s.source) || !isVolumeFile(s.source)) {
        image = join(outDir, 'volumes', `${s.id}.nii.gz`);
        await writeVolume(image, v);
      }
      cases.push({ ...s, image, shape: v.shape, spacing: v.spacing, huRange: huRange(v.data), status: 'ok' });
    } catch (e) {
      cases.push({ ...s, status: 'error', error: (e as Error).message.split('\n')[0] });
    }
    progress.tick(s.id);
  }
  progress.stop();
  writeFileAtomicSync(join(outDir, 'cohort.jsonl'), cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
  return cases;
}

/** 2D mode of `ingestCohort`: one 1-slice case per DICOM file or picture. */
async function ingestSlices(inputs: string[], outDir: string, opts: IngestOptions): Promise<CohortCase[]> {
  const sources = scanSliceSources(inputs, opts.include ?? null);
  const pooled = opts.window === 'auto' && opts.autoWindowScope === 'folder' ? folderWindows(sources.map((s) => s.source), { autoWindow: opts.autoWindow! }) : undefined;
  const progress = startProgress('ingest (2D)', sources.length, opts);
  const cases: CohortCase[] = [];
  for (const s of sources) {
    try {
      const folder = pooled?.get(dirname(s.source));
      const given = folder ? ([folder.pooled.low, folder.pooled.high] as [number, number]) : (opts.window ?? null);
      const read = await readSliceCase(s.source, { window: given, imageSpacingMm: opts.imageSpacingMm ?? [1, 1], autoWindow: opts.autoWindow!, minHu: opts.minHu ?? -1024 });
      const volume = read.volume;
      const window: SliceWindow = folder && read.window.kind === 'given' ? { kind: 'auto-folder', ...folder.pooled, own: folder.own.get(s.source) } : read.window;
      const image = join(outDir, 'volumes', `${s.id}.nii.gz`);
      await writeVolume(image, volume);
      cases.push({ ...s, image, shape: volume.shape, spacing: volume.spacing, huRange: huRange(volume.data), ...(window.kind !== 'hu' ? { window } : {}), status: 'ok' });
    } catch (e) {
      cases.push({ ...s, status: 'error', error: (e as Error).message.split('\n')[0] });
    }
    progress.tick(s.id);
  }
  progress.stop();
  writeFileAtomicSync(join(outDir, 'cohort.jsonl'), cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
  return cases;
}
