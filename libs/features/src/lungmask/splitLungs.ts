import { labelComponents, labelsBySize } from './components.js';
import type { Shape3 } from '../shape.js';

/** 6-neighbour erosion of a binary mask (in place into `out`). */
function erode6(src: Uint8Array, shape: Shape3, out: Uint8Array): void {
  const [nz, ny, nx] = shape;
  const plane = ny * nx;
  out.fill(0);
  for (let z = 1; z < nz - 1; z++)
    for (let y = 1; y < ny - 1; y++)
      for (let x = 1, i = z * plane + y * nx + 1; x < nx - 1; x++, i++)
        if (src[i] && src[i - 1] && src[i + 1] && src[i - nx] && src[i + nx] && src[i - plane] && src[i + plane]) out[i] = 1;
}

/**
 * Splits one component holding both lungs (joined at a thin junction) by eroding until two parts of at least
 * `minFraction` of the larger appear (at most `maxErosions` times), then growing them back inside the original
 * mask (geodesic, 6-connected). Returns per-voxel part labels (1, 2) or undefined when it does not split.
 */
export function splitMergedLungs(mask: Uint8Array, shape: Shape3, maxErosions: number, minFraction: number): Uint8Array | undefined {
  const [, ny, nx] = shape;
  const plane = ny * nx;
  let cur = mask.slice();
  const next = new Uint8Array(mask.length);
  for (let k = 0; k < maxErosions; k++) {
    erode6(cur, shape, next);
    cur.set(next);
    const cc = labelComponents(cur, shape);
    const order = labelsBySize(cc);
    if (order.length < 2) {
      if (order.length === 0) return undefined;
      continue;
    }
    if (cc.sizes[order[1]] < minFraction * cc.sizes[order[0]]) continue;
    const part = new Uint8Array(mask.length);
    const queue = new Int32Array(mask.length);
    let tail = 0;
    for (let i = 0; i < mask.length; i++) {
      const l = cc.ids[i];
      if (l === order[0] || l === order[1]) (part[i] = l === order[0] ? 1 : 2), (queue[tail++] = i);
    }
    for (let head = 0; head < tail; head++) {
      const i = queue[head];
      const z = (i / plane) | 0, r = i - z * plane, y = (r / nx) | 0, x = r - y * nx;
      const nb = [x > 0 ? i - 1 : -1, x < nx - 1 ? i + 1 : -1, y > 0 ? i - nx : -1, y < ny - 1 ? i + nx : -1, z > 0 ? i - plane : -1, z < shape[0] - 1 ? i + plane : -1];
      for (const j of nb) if (j >= 0 && mask[j] && !part[j]) (part[j] = part[i]), (queue[tail++] = j);
    }
    return part;
  }
  return undefined;
}
