import { gaussianFilter } from './gaussian.js';
import { gradientAxis } from './gradient.js';
import type { BoundaryMode, PerAxis, Shape3 } from './shape.js';

/** First derivatives (float32, np.gradient) of a smoothed volume: the input of the per-voxel Hessian. */
export interface GradientField {
  gx: Float32Array;
  gy: Float32Array;
  gz: Float32Array;
  shape: Shape3;
  /** Spacing used by the derivatives [z, y, x] (1 = voxel units as skimage). */
  h: PerAxis;
}

/** np.gradient of G along x, y and z (into `into` buffers when given). */
export function gradientField(G: Float32Array, shape: Shape3, h: PerAxis, into?: { gx: Float32Array; gy: Float32Array; gz: Float32Array }): GradientField {
  return {
    gx: gradientAxis(G, shape, 2, h[2], into?.gx),
    gy: gradientAxis(G, shape, 1, h[1], into?.gy),
    gz: gradientAxis(G, shape, 0, h[0], into?.gz),
    shape,
    h,
  };
}

/** np.gradient of g along one axis at a single voxel (coordinate c of n, neighbours ±stride), float32-rounded. */
function derivativeAt(g: Float32Array, i: number, c: number, n: number, stride: number, h: number): number {
  if (n < 2) return 0;
  if (c === 0) return Math.fround((g[i + stride] - g[i]) / h);
  if (c === n - 1) return Math.fround((g[i] - g[i - stride]) / h);
  return Math.fround((g[i + stride] - g[i - stride]) / (2 * h));
}

/**
 * The 6 Hessian elements at voxel (x, y, z) = index i, as skimage 0.19 `hessian_matrix(order='rc')`:
 * out = [Hxx, Hxy, Hxz, Hyy, Hyz, Hzz], element (a,b) = gradient(gradient(G, a), b).
 */
export function hessianAt(f: GradientField, i: number, x: number, y: number, z: number, out: Float64Array): void {
  const [nz, ny, nx] = f.shape;
  const plane = nx * ny;
  const [hz, hy, hx] = f.h;
  out[0] = derivativeAt(f.gx, i, x, nx, 1, hx);
  out[1] = derivativeAt(f.gx, i, y, ny, nx, hy);
  out[2] = derivativeAt(f.gx, i, z, nz, plane, hz);
  out[3] = derivativeAt(f.gy, i, y, ny, nx, hy);
  out[4] = derivativeAt(f.gy, i, z, nz, plane, hz);
  out[5] = derivativeAt(f.gz, i, z, nz, plane, hz);
}

export interface HessianOptions {
  mode: BoundaryMode;
  cval?: number;
  truncate: number;
  /** Derivative spacing [z, y, x]; default voxel units. */
  h?: PerAxis;
}

/** Full-volume Hessian elements {xx, xy, xz, yy, yz, zz} (float32), skimage 0.19 `hessian_matrix` semantics. */
export function hessianMatrix(input: Float32Array, shape: Shape3, sigma: number | PerAxis, opts: HessianOptions) {
  const h = opts.h ?? [1, 1, 1];
  const G = gaussianFilter(input, shape, sigma, opts);
  const { gx, gy, gz } = gradientField(G, shape, h);
  return {
    xx: gradientAxis(gx, shape, 2, h[2]),
    xy: gradientAxis(gx, shape, 1, h[1]),
    xz: gradientAxis(gx, shape, 0, h[0]),
    yy: gradientAxis(gy, shape, 1, h[1]),
    yz: gradientAxis(gy, shape, 0, h[0]),
    zz: gradientAxis(gz, shape, 0, h[0]),
  };
}
