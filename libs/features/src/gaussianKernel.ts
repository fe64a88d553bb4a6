/** Kernel radius (voxels) scipy uses for σ and truncate: int(truncate·σ + 0.5). */
export function gaussianRadius(sigma: number, truncate: number): number {
  return Math.trunc(truncate * sigma + 0.5);
}

/** numpy's pairwise sum for short float64 arrays (8 partial sums), so the normalisation is bit-identical. */
function numpySum(a: Float64Array): number {
  const n = a.length;
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i];
    return s;
  }
  const r = Array.from(a.subarray(0, 8));
  let i = 8;
  for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[i + j];
  let s = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
  for (; i < n; i++) s += a[i];
  return s;
}

/** Normalised 1-D Gaussian weights w[0..radius] (w[k] = weight at offset ±k), computed as scipy's _gaussian_kernel1d. */
export function gaussianHalfKernel(sigma: number, radius: number): Float64Array {
  const full = new Float64Array(2 * radius + 1);
  const c = -0.5 / (sigma * sigma);
  for (let k = -radius; k <= radius; k++) full[k + radius] = Math.exp(c * k * k);
  const sum = numpySum(full);
  const half = new Float64Array(radius + 1);
  for (let k = 0; k <= radius; k++) half[k] = full[k + radius] / sum;
  return half;
}
