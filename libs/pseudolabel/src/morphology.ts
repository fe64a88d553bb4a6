import type { Offsets } from './structuringElement.js';

type Shape = readonly [number, number, number];

/** Binary erosion of a 0/1 mask by a structuring element; voxels outside the volume count as 0 (scipy's default border). */
export function erode(mask: Uint8Array, shape: Shape, se: Offsets): Uint8Array {
  const [nz, ny, nx] = shape;
  const out = new Uint8Array(mask.length);
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (!mask[i]) continue;
        let keep = 1;
        for (const [dz, dy, dx] of se) {
          const zz = z + dz, yy = y + dy, xx = x + dx;
          if (zz < 0 || zz >= nz || yy < 0 || yy >= ny || xx < 0 || xx >= nx || !mask[xx + nx * (yy + ny * zz)]) {
            keep = 0;
            break;
          }
        }
        out[i] = keep;
      }
  return out;
}

/** Binary dilation of a 0/1 mask by a (symmetric) structuring element, clipped to the volume. */
export function dilate(mask: Uint8Array, shape: Shape, se: Offsets): Uint8Array {
  const [nz, ny, nx] = shape;
  const out = new Uint8Array(mask.length);
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (!mask[i]) continue;
        for (const [dz, dy, dx] of se) {
          const zz = z + dz, yy = y + dy, xx = x + dx;
          if (zz >= 0 && zz < nz && yy >= 0 && yy < ny && xx >= 0 && xx < nx) out[xx + nx * (yy + ny * zz)] = 1;
        }
      }
  return out;
}

/** Morphological opening (erosion then dilation), kept inside the original mask. */
export function open(mask: Uint8Array, shape: Shape, se: Offsets): Uint8Array {
  const out = dilate(erode(mask, shape, se), shape, se);
  for (let i = 0; i < out.length; i++) out[i] &= mask[i];
  return out;
}
