import { join } from 'node:path';
import { writeFileAtomicSync } from './atomicWrite.js';
import { scanCohortSources, type CohortCase } from './cohort.js';
import { readVolume, isVolumeFile, type ReadVolumeOptions } from './readVolume.js';
import { writeVolume } from './writeVolume.js';
import { huRange } from './huValues.js';
import { startProgress } from './progress.js';

/**
 * Reads every case of the inputs, validates it, writes non-NIfTI sources as canonical int16 NIfTI
 * (DIR/volumes/<id>.nii.gz) and DIR/cohort.jsonl with one line per case; a bad case gets
 * status "error" with its reason and does not stop the others.
 */
export async function ingestCohort(inputs: string[], outDir: string, opts: ReadVolumeOptions & { quiet?: boolean } = {}): Promise<CohortCase[]> {
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
