import { gaussianHalfKernel, gaussianRadius } from './gaussianKernel.js';
import { boundaryIndex, perAxis, type BoundaryMode, type PerAxis, type Shape3 } from './shape.js';

export interface GaussianOptions {
  mode: BoundaryMode;
  /** Value outside the volume for mode `constant`. */
  cval?: number;
  /** Radius in σ (scipy default 4). */
  truncate: number;
}

/** Sigmas below this are "no smoothing" on that axis (scipy skips the pass). */
const NO_SIGMA = 1e-15;

/**
 * Gaussian smoothing of a (z,y,x) float volume, σ in voxels per axis, exactly as scipy.ndimage.gaussian_filter:
 * separable correlation z, then y, then x, float64 sums, float32 stored after each pass.
 */
export function gaussianFilter(input: Float32Array, shape: Shape3, sigma: number | PerAxis, opts: GaussianOptions, out?: Float32Array): Float32Array {
  const s = perAxis(sigma);
  const dst = out ?? new Float32Array(input.length);
  let src = input;
  let first = true;
  for (let axis = 0; axis < 3; axis++) {
    if (s[axis] <= NO_SIGMA) continue;
    const r = gaussianRadius(s[axis], opts.truncate);
    const w = gaussianHalfKernel(s[axis], r);
    const pass = axis === 0 ? passZ : axis === 1 ? passY : passX;
    pass(src, dst, shape, w, opts.mode, opts.cval ?? 0, !first || src === dst);
    src = dst;
    first = false;
  }
  if (first && dst !== input) dst.set(input);
  return dst;
}

/** Correlates along z; `src` and `dst` must differ unless `inPlace` (then a copy of src is used). */
function passZ(src: Float32Array, dst: Float32Array, shape: Shape3, w: Float64Array, mode: BoundaryMode, cval: number, inPlace: boolean): void {
  const [nz, ny, nx] = shape;
  const plane = ny * nx;
  const from = inPlace ? src.slice() : src;
  const acc = new Float64Array(plane);
  const r = w.length - 1;
  const w0 = w[0];
  for (let z = 0; z < nz; z++) {
    const c = z * plane;
    for (let i = 0; i < plane; i++) acc[i] = from[c + i] * w0;
    for (let k = r; k >= 1; k--) {
      const zl = boundaryIndex(z - k, nz, mode);
      const zr = boundaryIndex(z + k, nz, mode);
      const wk = w[k];
      if (zl >= 0 && zr >= 0) {
        const a = zl * plane, b = zr * plane;
        for (let i = 0; i < plane; i++) acc[i] += (from[a + i] + from[b + i]) * wk;
      } else {
        for (let i = 0; i < plane; i++) acc[i] += ((zl >= 0 ? from[zl * plane + i] : cval) + (zr >= 0 ? from[zr * plane + i] : cval)) * wk;
      }
    }
    for (let i = 0; i < plane; i++) dst[c + i] = acc[i];
  }
}

/** Correlates along y, one z-plane at a time (a plane copy makes in-place safe). */
function passY(src: Float32Array, dst: Float32Array, shape: Shape3, w: Float64Array, mode: BoundaryMode, cval: number): void {
  const [nz, ny, nx] = shape;
  const plane = ny * nx;
  const buf = new Float32Array(plane);
  const acc = new Float64Array(nx);
  const r = w.length - 1;
  const w0 = w[0];
  const rows = new Int32Array(ny + 2 * r);
  for (let j = -r; j < ny + r; j++) rows[j + r] = boundaryIndex(j, ny, mode);
  for (let z = 0; z < nz; z++) {
    const p = z * plane;
    buf.set(src.subarray(p, p + plane));
    for (let y = 0; y < ny; y++) {
      const c = y * nx;
      for (let x = 0; x < nx; x++) acc[x] = buf[c + x] * w0;
      for (let k = r; k >= 1; k--) {
        const yl = rows[y - k + r], yr = rows[y + k + r];
        const wk = w[k];
        if (yl >= 0 && yr >= 0) {
          const a = yl * nx, b = yr * nx;
          for (let x = 0; x < nx; x++) acc[x] += (buf[a + x] + buf[b + x]) * wk;
        } else {
          for (let x = 0; x < nx; x++) acc[x] += ((yl >= 0 ? buf[yl * nx + x] : cval) + (yr >= 0 ? buf[yr * nx + x] : cval)) * wk;
        }
      }
      for (let x = 0; x < nx; x++) dst[p + c + x] = acc[x];
    }
  }
}

/** Correlates along x, one row at a time through a padded float64 line. */
function passX(src: Float32Array, dst: Float32Array, shape: Shape3, w: Float64Array, mode: BoundaryMode, cval: number): void {
  const [nz, ny, nx] = shape;
  const r = w.length - 1;
  const w0 = w[0];
  const line = new Float64Array(nx + 2 * r);
  const map = new Int32Array(nx + 2 * r);
  for (let j = -r; j < nx + r; j++) map[j + r] = boundaryIndex(j, nx, mode);
  const rowsTotal = nz * ny;
  for (let row = 0; row < rowsTotal; row++) {
    const o = row * nx;
    for (let j = 0; j < line.length; j++) {
      const m = map[j];
      line[j] = m >= 0 ? src[o + m] : cval;
    }
    for (let x = 0; x < nx; x++) {
      const c = x + r;
      let s = line[c] * w0;
      for (let k = r; k >= 1; k--) s += (line[c - k] + line[c + k]) * w[k];
      dst[o + x] = s;
    }
  }
}
