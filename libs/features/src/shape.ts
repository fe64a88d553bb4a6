/** A volume's [nz, ny, nx] in voxels. */
export type Shape3 = readonly [number, number, number];
/** One value per axis, ordered [z, y, x]. */
export type PerAxis = readonly [number, number, number];

/** Boundary extension as scipy.ndimage: `reflect` = half-sample symmetric (d c b a | a b c d), `nearest` = edge value, `constant` = cval. */
export type BoundaryMode = 'nearest' | 'reflect' | 'constant';

/** Index inside [0, n) that position `i` maps to under `mode`; -1 means "the constant value". */
export function boundaryIndex(i: number, n: number, mode: BoundaryMode): number {
  if (i >= 0 && i < n) return i;
  if (mode === 'constant') return -1;
  if (mode === 'nearest') return i < 0 ? 0 : n - 1;
  // reflect: period 2n, mirrored about the half-sample edges (works for any overhang)
  const period = 2 * n;
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

/** Expands a scalar to [z, y, x]. */
export function perAxis(v: number | PerAxis): PerAxis {
  return typeof v === 'number' ? [v, v, v] : v;
}
