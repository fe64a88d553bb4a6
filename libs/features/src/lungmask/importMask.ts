import { InputError, geometryOf, sameGrid, type Geometry, type LabelVolume } from '@covseg/io';

/** Geometry tolerance (mm) when checking an external mask against the CT grid. */
const GRID_TOLERANCE_MM = 1e-2;

const describe = (g: Geometry) => `${g.shape.join('×')} voxels, spacing ${g.spacing.map((s) => +s.toFixed(3)).join('/')} mm, origin ${g.origin.map((o) => +o.toFixed(2)).join('/')}`;

/**
 * An external lung mask (e.g. lungmask's 1 = right / 2 = left; any non-zero = lung) as a 0/1 LabelVolume on the
 * CT's grid. Throws InputError naming the file when the grids differ or the mask is empty.
 */
export function importLungMask(mask: LabelVolume, image: Geometry, path: string): LabelVolume {
  if (!sameGrid(mask, image, GRID_TOLERANCE_MM)) {
    throw new InputError(`mask grid (${describe(mask)}) does not match the CT (${describe(image)})`, path);
  }
  const data = new Uint8Array(mask.data.length);
  let count = 0;
  for (let i = 0; i < data.length; i++) if (mask.data[i]) (data[i] = 1), count++;
  if (count === 0) throw new InputError('the lung mask is empty (no non-zero voxel)', path);
  return { ...geometryOf(image), data };
}
