const TWO_PI_OVER_3 = (2 * Math.PI) / 3;

/**
 * Eigenvalues of the symmetric 3×3 matrix [[a, b, c], [b, d, e], [c, e, f]] in decreasing order
 * (as numpy.linalg.eigvalsh reversed), written to out[0..2]. Closed form (trigonometric), float64.
 */
export function symmetricEigenvalues3(a: number, b: number, c: number, d: number, e: number, f: number, out: Float64Array): void {
  const p1 = b * b + c * c + e * e;
  if (p1 === 0) {
    // diagonal: sort the three values
    let x = a, y = d, z = f, t: number;
    if (x < y) { t = x; x = y; y = t; }
    if (y < z) { t = y; y = z; z = t; }
    if (x < y) { t = x; x = y; y = t; }
    out[0] = x; out[1] = y; out[2] = z;
    return;
  }
  const q = (a + d + f) / 3;
  const da = a - q, dd = d - q, df = f - q;
  const p2 = da * da + dd * dd + df * df + 2 * p1;
  const p = Math.sqrt(p2 / 6);
  // det((A - qI) / p) / 2, clamped against rounding
  const detB = da * (dd * df - e * e) - b * (b * df - e * c) + c * (b * e - dd * c);
  let r = detB / (2 * p * p * p);
  r = r <= -1 ? -1 : r >= 1 ? 1 : r;
  const phi = Math.acos(r) / 3;
  const e0 = q + 2 * p * Math.cos(phi);
  const e2 = q + 2 * p * Math.cos(phi + TWO_PI_OVER_3);
  out[0] = e0;
  out[1] = 3 * q - e0 - e2;
  out[2] = e2;
}

/** Reorders out[0..2] by |λ| ascending (skimage's `_sortbyabs`; ties keep the current order). */
export function sortByAbs3(out: Float64Array): void {
  let x = out[0], y = out[1], z = out[2], t: number;
  if (Math.abs(x) > Math.abs(y)) { t = x; x = y; y = t; }
  if (Math.abs(y) > Math.abs(z)) { t = y; y = z; z = t; }
  if (Math.abs(x) > Math.abs(y)) { t = x; x = y; y = t; }
  out[0] = x; out[1] = y; out[2] = z;
}

/** Eigenvalues of the symmetric 2×2 matrix [[a, b], [b, c]] into out[0..1], sorted by |λ| ascending. */
export function symmetricEigenvalues2(a: number, b: number, c: number, out: Float64Array): void {
  const m = (a + c) / 2;
  const d = Math.sqrt(((a - c) / 2) ** 2 + b * b);
  const p = m + d, q = m - d;
  if (Math.abs(p) <= Math.abs(q)) (out[0] = p), (out[1] = q);
  else (out[0] = q), (out[1] = p);
}
