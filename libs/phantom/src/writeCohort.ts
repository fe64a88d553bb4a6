import { join } from 'node:path';
import { startProgress, writeDicomSeries, writeJsonAtomic, writeLabelVolume, writeVolume } from '@covseg/io';
import type { PhantomConfig } from './config.js';
import { generatePhantomCase, type PhantomCaseInfo } from './generateCase.js';

/** Folder name of phantom case i. */
export const phantomCaseId = (i: number) => `case-${String(i).padStart(3, '0')}`;

export interface PhantomCohortOptions {
  cases: number;
  seed: number | string;
  /** Also write this case as a DICOM series in <case>/dicom/ (−1: none). */
  dicomCase?: number;
  onCase?: (done: number, total: number) => void;
  /** Show a 'phantom' progress bar (none when quiet): `covseg phantom` and the pipeline's phantom stage. */
  progress?: { quiet?: boolean };
}

/**
 * Writes a phantom cohort: DIR/<case>/image.nii.gz (int16 HU), label.nii.gz (uint8 labels),
 * phantom.json (what was drawn), and one case as a DICOM series to exercise that path.
 */
export async function writePhantomCohort(dir: string, cfg: PhantomConfig, opts: PhantomCohortOptions): Promise<{ id: string; info: PhantomCaseInfo }[]> {
  const out = [];
  const bar = opts.progress && startProgress('phantom', opts.cases, { quiet: opts.progress.quiet });
  for (let i = 0; i < opts.cases; i++) {
    const id = phantomCaseId(i);
    const c = generatePhantomCase(cfg, `${opts.seed}:${i}`);
    await writeVolume(join(dir, id, 'image.nii.gz'), c.image);
    await writeLabelVolume(join(dir, id, 'label.nii.gz'), c.label);
    if (i === (opts.dicomCase ?? 0)) writeDicomSeries(join(dir, id, 'dicom'), c.image, { uidSeed: `covseg-phantom:${opts.seed}:${i}`, seriesDescription: 'covseg phantom' });
    writeJsonAtomic(join(dir, id, 'phantom.json'), c.info);
    out.push({ id, info: c.info });
    opts.onCase?.(i + 1, opts.cases);
    bar?.tick();
  }
  bar?.stop();
  return out;
}
