import type { Shape3 } from './shape.js';

/**
 * numpy.gradient along one axis (0 = z, 1 = y, 2 = x) in float32: central differences (f[i+1]-f[i-1])/(2h)
 * inside, one-sided (f[1]-f[0])/h at the edges; h = voxel spacing along that axis (1 = voxel units).
 * An axis of length 1 has gradient 0 (numpy would refuse it; this lets 2-D slices through).
 */
export function gradientAxis(input: Float32Array, shape: Shape3, axis: 0 | 1 | 2, h = 1, out?: Float32Array): Float32Array {
  const dst = out ?? new Float32Array(input.length);
  const [nz, ny, nx] = shape;
  const n = shape[axis];
  const stride = axis === 0 ? ny * nx : axis === 1 ? nx : 1;
  if (n < 2) {
    dst.fill(0);
    return dst;
  }
  const half = 2 * h;
  // walk every line along `axis`: its start index and the stride between lines
  const outer = axis === 0 ? 1 : axis === 1 ? nz : nz * ny;
  const inner = axis === 0 ? ny * nx : axis === 1 ? nx : 1;
  const outerStride = axis === 0 ? 0 : axis === 1 ? ny * nx : nx;
  for (let o = 0; o < outer; o++) {
    const base = o * outerStride;
    // contiguous inner runs: same stencil for the whole run, cache-friendly for every axis
    for (let i = 0; i < n; i++) {
      const p = base + i * stride;
      const lo = i === 0 ? p : p - stride;
      const hi = i === n - 1 ? p : p + stride;
      const d = i === 0 || i === n - 1 ? h : half;
      for (let q = 0; q < inner; q++) dst[p + q] = (input[hi + q] - input[lo + q]) / d;
    }
  }
  return dst;
}
