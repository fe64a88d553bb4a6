import type { Connectivity } from './config.js';
import { neighbourOffsets } from './structuringElement.js';

/** Component id per voxel (0 = not in the mask, 1..count) and each component's voxel count. */
export interface Components {
  ids: Int32Array;
  /** sizes[c] = voxels of component c (sizes[0] = 0). */
  sizes: number[];
  count: number;
}

/** 3D connected components of the nonzero voxels of a mask (breadth-first flood fill on typed arrays). */
export function connectedComponents(mask: Uint8Array, shape: readonly [number, number, number], connectivity: Connectivity): Components {
  const [nz, ny, nx] = shape;
  const nb = neighbourOffsets(connectivity);
  const ids = new Int32Array(mask.length);
  const sizes = [0];
  let queue = new Int32Array(1024);
  let count = 0;
  for (let seed = 0; seed < mask.length; seed++) {
    if (!mask[seed] || ids[seed]) continue;
    const id = ++count;
    ids[seed] = id;
    let head = 0, tail = 0;
    queue[tail++] = seed;
    while (head < tail) {
      const i = queue[head++];
      const x = i % nx, y = Math.floor(i / nx) % ny, z = Math.floor(i / (nx * ny));
      for (const [dz, dy, dx] of nb) {
        const zz = z + dz, yy = y + dy, xx = x + dx;
        if (zz < 0 || zz >= nz || yy < 0 || yy >= ny || xx < 0 || xx >= nx) continue;
        const j = xx + nx * (yy + ny * zz);
        if (!mask[j] || ids[j]) continue;
        ids[j] = id;
        if (tail === queue.length) {
          const bigger = new Int32Array(queue.length * 2);
          bigger.set(queue);
          queue = bigger;
        }
        queue[tail++] = j;
      }
    }
    sizes.push(tail);
  }
  return { ids, sizes, count };
}
