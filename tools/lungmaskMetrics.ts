// Measures of a lung mask against phantom truth (labels 0 background, 1 lung, 2 GGO, 3 consolidation, 4 vessels)
// and against an expert lesion mask of a picture (no lung truth there).
import { squaredDistance2d } from '@covseg/features';

/** Lesion voxels within this distance (mm, in-plane) of non-lung truth are pleural (subpleural / juxta-mediastinal). */
export const PLEURAL_MM = 3;
/** Mask voxels outside the truth lung farther than this (mm, in-plane) are leakage, not a boundary disagreement. */
export const LEAK_MARGIN_MM = 2;

export interface PhantomAgreement {
  dice: number;
  lesion: number;
  lesionIn: number;
  pleuralLesion: number;
  pleuralLesionIn: number;
  mask: number;
  /** Mask voxels on truth background (chest wall, mediastinum, airways, outside). */
  outside: number;
  /** Of these, farther than LEAK_MARGIN_MM from the truth lung. */
  leak: number;
}

/** Lung-mask agreement with phantom truth (lung = labels ≥ lungLabel), per volume. */
export function lungMaskAgreement(mask: Uint8Array, label: Uint8Array, shape: readonly number[], spacing: readonly number[], lungLabel: number): PhantomAgreement {
  const [nz, ny, nx] = shape;
  const [, sy, sx] = spacing;
  const plane = ny * nx;
  const a: PhantomAgreement = { dice: 0, lesion: 0, lesionIn: 0, pleuralLesion: 0, pleuralLesionIn: 0, mask: 0, outside: 0, leak: 0 };
  let both = 0, truth = 0;
  for (let z = 0; z < nz; z++) {
    const o = z * plane;
    const toBackground = squaredDistance2d((i) => label[o + i] < lungLabel, ny, nx, sy, sx);
    const toLung = squaredDistance2d((i) => label[o + i] >= lungLabel, ny, nx, sy, sx);
    for (let i = 0; i < plane; i++) {
      const l = label[o + i], m = mask[o + i];
      const t = l >= lungLabel ? 1 : 0;
      both += m & t;
      truth += t;
      a.mask += m;
      if (m && !t) {
        a.outside++;
        if (toLung[i] > LEAK_MARGIN_MM * LEAK_MARGIN_MM) a.leak++;
      }
      if (l === 2 || l === 3) {
        a.lesion++;
        a.lesionIn += m;
        if (toBackground[i] <= PLEURAL_MM * PLEURAL_MM) (a.pleuralLesion++, (a.pleuralLesionIn += m));
      }
    }
  }
  a.dice = (2 * both) / (a.mask + truth);
  return a;
}

export interface PictureLeakage {
  lesion: number;
  lesionIn: number;
  mask: number;
  /** Pixels of the mask below the air threshold (the plain air lung). */
  air: number;
  /** Mask pixels of soft-tissue density (≥ −300 HU) that the expert did not call lesion: vessels, or leakage. */
  denseNonLesion: number;
}

/** Lesion coverage and leakage proxies of a picture's lung mask (no lung truth: the expert marks lesions only). */
export function pictureLeakage(mask: Uint8Array, lesion: Uint8Array, hu: ArrayLike<number>, airThresholdHu: number): PictureLeakage {
  const p: PictureLeakage = { lesion: 0, lesionIn: 0, mask: 0, air: 0, denseNonLesion: 0 };
  for (let i = 0; i < mask.length; i++) {
    const m = mask[i];
    if (lesion[i]) (p.lesion++, (p.lesionIn += m));
    if (!m) continue;
    p.mask++;
    if (hu[i] < airThresholdHu) p.air++;
    else if (!lesion[i] && hu[i] >= -300) p.denseNonLesion++;
  }
  return p;
}
