import type { Shape3 } from '../shape.js';

/** Connected components of a binary mask: labels (0 = background, 1..count) and voxel count per label (sizes[0] unused). */
export interface Components {
  labels: Int32Array;
  sizes: number[];
  count: number;
}

/**
 * 6-connected components of `mask` (non-zero voxels) in a (z,y,x) volume; with `inPlaneOnly` each z-slice is
 * labelled on its own (4-connected), labels still unique across the volume.
 */
export function labelComponents(mask: Uint8Array, shape: Shape3, inPlaneOnly = false): Components {
  const [nz, ny, nx] = shape;
  const plane = ny * nx;
  const labels = new Int32Array(mask.length);
  const sizes = [0];
  const queue = new Int32Array(mask.length);
  let count = 0;
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s] || labels[s]) continue;
    const id = ++count;
    let head = 0, tail = 0;
    queue[tail++] = s;
    labels[s] = id;
    while (head < tail) {
      const i = queue[head++];
      const z = (i / plane) | 0;
      const r = i - z * plane;
      const y = (r / nx) | 0;
      const x = r - y * nx;
      if (x > 0 && mask[i - 1] && !labels[i - 1]) (labels[i - 1] = id), (queue[tail++] = i - 1);
      if (x < nx - 1 && mask[i + 1] && !labels[i + 1]) (labels[i + 1] = id), (queue[tail++] = i + 1);
      if (y > 0 && mask[i - nx] && !labels[i - nx]) (labels[i - nx] = id), (queue[tail++] = i - nx);
      if (y < ny - 1 && mask[i + nx] && !labels[i + nx]) (labels[i + nx] = id), (queue[tail++] = i + nx);
      if (inPlaneOnly) continue;
      if (z > 0 && mask[i - plane] && !labels[i - plane]) (labels[i - plane] = id), (queue[tail++] = i - plane);
      if (z < nz - 1 && mask[i + plane] && !labels[i + plane]) (labels[i + plane] = id), (queue[tail++] = i + plane);
    }
    sizes.push(tail);
  }
  return { labels, sizes, count };
}

/** Labels of components that touch the x or y faces of the volume (outside air reaches the image edge in-plane). */
export function labelsTouchingInPlaneBorder(labels: Int32Array, shape: Shape3): Set<number> {
  const [nz, ny, nx] = shape;
  const touching = new Set<number>();
  for (let z = 0; z < nz; z++) {
    const p = z * ny * nx;
    for (let x = 0; x < nx; x++) {
      if (labels[p + x]) touching.add(labels[p + x]);
      if (labels[p + (ny - 1) * nx + x]) touching.add(labels[p + (ny - 1) * nx + x]);
    }
    for (let y = 0; y < ny; y++) {
      if (labels[p + y * nx]) touching.add(labels[p + y * nx]);
      if (labels[p + y * nx + nx - 1]) touching.add(labels[p + y * nx + nx - 1]);
    }
  }
  return touching;
}

/** Component labels ordered by size, largest first. */
export function labelsBySize(c: Components): number[] {
  return Array.from({ length: c.count }, (_, k) => k + 1).sort((a, b) => c.sizes[b] - c.sizes[a]);
}
