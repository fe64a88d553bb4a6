import { join } from 'node:path';
import { InputError, readLabelVolume, sameGrid, type Volume } from '@covseg/io';
import { computeFeatures, lungMask as classicalLungMask, type FeaturesConfig, type LungmaskConfig } from '@covseg/features';
import type { CohortImage } from './clusterCohort.js';
import type { FeatureExtractor } from './featureSource.js';

/** Gives the lung mask (1 = lung) of a case's volume. */
export type LungMaskProvider = (volume: Volume, c: CohortImage) => Promise<Uint8Array>;

/** Grid tolerance (mm) when matching a mask file to its CT: NIfTI stores spacing as float32. */
const GRID_TOL_MM = 1e-2;

async function maskFile(path: string, volume: Volume): Promise<Uint8Array> {
  const m = await readLabelVolume(path);
  if (!sameGrid(m, volume, GRID_TOL_MM)) throw new InputError(`mask grid ${m.shape.join('×')} does not match the CT ${volume.shape.join('×')} (shape, spacing, origin, direction)`, path);
  return m.data.map((v) => (v ? 1 : 0));
}

/** Lung masks read from DIR/<case id>.nii.gz (as `covseg lungmask` writes them; nonzero = lung). */
export function lungMasksFromDir(dir: string): LungMaskProvider {
  return (volume, c) => maskFile(join(dir, `${c.id}.nii.gz`), volume);
}

/** Lung masks from the cohort's reference labels (label > 0), e.g. phantom cohorts: stands in for an external lung segmentation. */
export function lungMasksFromReferenceLabels(): LungMaskProvider {
  return (volume, c) => {
    if (!c.label) throw new InputError('the case has no reference label to take the lung mask from', c.id);
    return maskFile(c.label, volume);
  };
}

/** Lung masks computed from each CT by the classical lung mask (libs/features), as `covseg lungmask` and `covseg features` do. */
export function computedLungMasks(cfg: LungmaskConfig): LungMaskProvider {
  return async (volume) => classicalLungMask(volume, cfg).data;
}

/** The paper's feature stack (libs/features) on the candidate voxels of each case's lung mask. */
export function candidateFeatureExtractor(cfg: FeaturesConfig, lungMask: LungMaskProvider): FeatureExtractor {
  return async (volume, c) => {
    const mask = await lungMask(volume, c);
    const f = await computeFeatures(volume, mask, cfg);
    return { ...f, lungMask: mask };
  };
}

/** The lung-mask source chosen on the command line: a folder of masks, the cohort's reference labels, or (neither given) computed from each CT. */
export function lungMaskProvider(opts: { dir?: string; fromLabel?: boolean; compute: LungmaskConfig }): LungMaskProvider {
  if (opts.dir && opts.fromLabel) throw new InputError('give either --lung-masks or --lung-from-label, not both');
  if (opts.dir) return lungMasksFromDir(opts.dir);
  if (opts.fromLabel) return lungMasksFromReferenceLabels();
  return computedLungMasks(opts.compute);
}
