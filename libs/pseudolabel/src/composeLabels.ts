import { InputError, LABEL } from '@covseg/io';

/**
 * The 5-value label volume: outside the lung mask 0, lung 1, and each candidate voxel (by linear
 * index) its class (2 GGO, 3 consolidation, 4 vessels).
 */
export function composeLabelVolume(lungMask: Uint8Array, candidates: Uint32Array | Int32Array, classes: Uint8Array): Uint8Array {
  if (candidates.length !== classes.length) throw new InputError(`${candidates.length} candidate voxels but ${classes.length} classes`);
  const out = new Uint8Array(lungMask.length);
  for (let i = 0; i < lungMask.length; i++) out[i] = lungMask[i] ? LABEL.lung : LABEL.background;
  for (let i = 0; i < candidates.length; i++) {
    const v = candidates[i];
    if (v >= out.length) throw new InputError(`candidate voxel index ${v} is outside the volume (${out.length} voxels)`);
    out[v] = classes[i];
  }
  return out;
}
