import type { PerAxis, Shape3 } from './shape.js';

/** Axes of a [z, y, x] grid: 0 = z, 1 = y, 2 = x. */
export type Axis = 0 | 1 | 2;

/**
 * Lower envelope of parabolas (Felzenszwalb & Huttenlocher 2012) on one line: f[i] is the squared
 * distance so far at sample i, samples `step` mm apart; writes min_j f[j] + (step·(i − j))² into d.
 * v, z: scratch (n and n + 1 entries).
 */
function envelope1d(f: Float64Array, d: Float64Array, n: number, step: number, v: Int32Array, z: Float64Array): void {
  const s2 = step * step;
  let k = -1;
  for (let q = 0; q < n; q++) {
    if (f[q] === Infinity) continue;
    while (k >= 0) {
      const p = v[k];
      // abscissa (in samples) where the parabola of q passes below the one of p
      const s = (f[q] - f[p] + s2 * (q * q - p * p)) / (2 * s2 * (q - p));
      if (s <= z[k]) k--;
      else {
        k++;
        v[k] = q;
        z[k] = s;
        z[k + 1] = Infinity;
        break;
      }
    }
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
    }
  }
  if (k < 0) {
    d.fill(Infinity, 0, n);
    return;
  }
  for (let q = 0, j = 0; q < n; q++) {
    while (z[j + 1] < q) j++;
    const t = step * (q - v[j]);
    d[q] = t * t + f[v[j]];
  }
}

/**
 * Exact squared Euclidean distance (mm²) from every voxel to the nearest voxel where `mask` is 0,
 * measured within the planes / lines spanned by `axes` only (all three: the 3D distance; [1, 2]: per
 * axial slice). Voxels with mask 0 get 0; Infinity where no such voxel is reachable. As scipy's
 * distance_transform_edt with `sampling` = spacing: voxels beyond the volume are not background.
 * `out` may be a Float32Array (half the memory; exact to float32 rounding) of mask's length.
 */
export function squaredDistanceToBackground<T extends Float64Array | Float32Array = Float64Array>(
  mask: Uint8Array,
  shape: Shape3,
  spacing: PerAxis,
  axes: readonly Axis[] = [0, 1, 2],
  out: T = new Float64Array(mask.length) as T,
): T {
  const [nz, ny, nx] = shape;
  for (let i = 0; i < mask.length; i++) out[i] = mask[i] ? Infinity : 0;
  const strides = [ny * nx, nx, 1];
  const longest = Math.max(nz, ny, nx);
  const f = new Float64Array(longest), d = new Float64Array(longest), v = new Int32Array(longest), z = new Float64Array(longest + 1);
  for (const a of axes) {
    const n = shape[a], stride = strides[a];
    // every line along axis a starts at a voxel whose coordinate on a is 0
    for (let zz = 0; zz < (a === 0 ? 1 : nz); zz++)
      for (let yy = 0; yy < (a === 1 ? 1 : ny); yy++)
        for (let xx = 0; xx < (a === 2 ? 1 : nx); xx++) {
          const start = xx + nx * (yy + ny * zz);
          for (let q = 0; q < n; q++) f[q] = out[start + q * stride];
          envelope1d(f, d, n, spacing[a], v, z);
          for (let q = 0; q < n; q++) out[start + q * stride] = d[q];
        }
  }
  return out;
}

/**
 * Morphological opening of a mask by a disk (two axes) or ball (three) of radius `radiusMm`, in mm:
 * the voxels covered by some disk / ball that lies wholly inside the mask. A tube of radius < r
 * holds no such disk in any plane; a blob or plate wider than r keeps its voxels.
 */
export function openByDisk(mask: Uint8Array, shape: Shape3, spacing: PerAxis, radiusMm: number, axes: readonly Axis[]): Uint8Array {
  const r2 = radiusMm * radiusMm;
  const inside = squaredDistanceToBackground(mask, shape, spacing, axes);
  // centres: the nearest outside voxel is farther than r (so every voxel within r is inside)
  const notCentre = new Uint8Array(mask.length);
  let centres = 0;
  for (let i = 0; i < mask.length; i++) {
    if (inside[i] > r2) centres++;
    else notCentre[i] = 1;
  }
  const out = new Uint8Array(mask.length);
  if (centres === 0) return out;
  const toCentre = squaredDistanceToBackground(notCentre, shape, spacing, axes);
  for (let i = 0; i < mask.length; i++) if (mask[i] && toCentre[i] <= r2) out[i] = 1;
  return out;
}
