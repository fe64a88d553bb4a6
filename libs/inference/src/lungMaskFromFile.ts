import { InputError, readLabelVolume, sameGrid, type Volume } from '@covseg/io';

/** A lung-mask provider reading an external mask file (nonzero = lung) that must lie on the CT's grid. */
export function lungMaskFromFile(file: string): (v: Volume) => Promise<Uint8Array> {
  return async (v) => {
    const m = await readLabelVolume(file);
    if (!sameGrid(m, v, 1e-2)) throw new InputError(`lung mask grid ${m.shape.join('×')} does not match the CT ${v.shape.join('×')} (shape, spacing, origin, direction)`, file);
    return m.data.map((x) => (x ? 1 : 0));
  };
}
