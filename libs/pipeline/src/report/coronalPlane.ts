import type { Geometry } from '@covseg/io';

/**
 * The coronal plane at row `y` of a (z, y, x) voxel map, for display: x across, the patient's superior side up,
 * slices repeated (nearest neighbour) so a pixel is as tall as it is wide (sz / sx rows per slice).
 */
export function coronalPlane<T extends Int16Array | Uint8Array>(data: T, g: Pick<Geometry, 'shape' | 'spacing' | 'direction'>, y: number): { values: T; width: number; height: number } {
  const [nz, ny, nx] = g.shape;
  const height = Math.max(1, Math.round((nz * g.spacing[0]) / g.spacing[2]));
  const values = new (data.constructor as new (n: number) => T)(height * nx);
  const superiorUp = g.direction[8] >= 0; // z grows toward the head: the last slice goes on top
  for (let r = 0; r < height; r++) {
    const k = Math.min(nz - 1, Math.floor(((r + 0.5) * nz) / height));
    const z = superiorUp ? nz - 1 - k : k;
    values.set(data.subarray(nx * (y + ny * z), nx * (y + ny * z) + nx), r * nx);
  }
  return { values, width: nx, height };
}

/** The row y with most lung (labels 1–4) voxels over all slices: a coronal cut through the lungs' bulk. */
export function lungRichestRow(labels: Uint8Array, shape: readonly [number, number, number]): number {
  const [nz, ny, nx] = shape;
  const count = new Float64Array(ny);
  for (let z = 0, i = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++, i++) if (labels[i] >= 1 && labels[i] <= 4) count[y]++;
  let best = Math.floor(ny / 2);
  for (let y = 0; y < ny; y++) if (count[y] > count[best]) best = y;
  return best;
}
