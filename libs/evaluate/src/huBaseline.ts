import type { LabelVolume, Volume } from '@covseg/io';
import { open, structuringElement } from '@covseg/pseudolabel';

/**
 * The crude HU baseline the model must beat (issue #20): inside the lung mask, voxels with HU within `huRange`
 * (inclusive), opened in-plane (4-connected element of `openingRadius` px, slice by slice), are lesion (label 2);
 * the rest of the lung is 1. Uses no model.
 */
export function huBaselineLabels(ct: Volume, lung: Uint8Array, cfg: { huRange: readonly [number, number]; openingRadius: number }): LabelVolume {
  const [lo, hi] = cfg.huRange;
  const candidate = new Uint8Array(ct.data.length);
  for (let i = 0; i < candidate.length; i++) candidate[i] = lung[i] && ct.data[i] >= lo && ct.data[i] <= hi ? 1 : 0;
  const inPlane = structuringElement(6, cfg.openingRadius).filter(([dz]) => dz === 0);
  const lesion = cfg.openingRadius > 0 ? open(candidate, ct.shape, inPlane) : candidate;
  const data = new Uint8Array(ct.data.length);
  for (let i = 0; i < data.length; i++) data[i] = lesion[i] ? 2 : lung[i] ? 1 : 0;
  const { data: _hu, ...geometry } = ct;
  return { ...geometry, data };
}
