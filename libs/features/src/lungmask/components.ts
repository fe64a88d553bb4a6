import type { Shape3 } from '../shape.js';
import { connectedComponents, type Components } from '../connectedComponents.js';

/** 6-connected components of the non-zero voxels of `mask`; with `inPlaneOnly` each z-slice on its own (4-connected). */
export function labelComponents(mask: Uint8Array, shape: Shape3, inPlaneOnly = false): Components {
  return connectedComponents(shape, (i) => mask[i] !== 0, inPlaneOnly ? 4 : 6);
}

/** Ids of components that touch the x or y faces of the volume (outside air reaches the image edge in-plane). */
export function labelsTouchingInPlaneBorder(ids: Int32Array, shape: Shape3): Set<number> {
  const [nz, ny, nx] = shape;
  const touching = new Set<number>();
  for (let z = 0; z < nz; z++) {
    const p = z * ny * nx;
    for (let x = 0; x < nx; x++) {
      if (ids[p + x]) touching.add(ids[p + x]);
      if (ids[p + (ny - 1) * nx + x]) touching.add(ids[p + (ny - 1) * nx + x]);
    }
    for (let y = 0; y < ny; y++) {
      if (ids[p + y * nx]) touching.add(ids[p + y * nx]);
      if (ids[p + y * nx + nx - 1]) touching.add(ids[p + y * nx + nx - 1]);
    }
  }
  return touching;
}

/** Component ids ordered by size, largest first. */
export function labelsBySize(c: Components): number[] {
  return Array.from({ length: c.count }, (_, k) => k + 1).sort((a, b) => c.sizes[b] - c.sizes[a]);
}
