/** Per-feature mean and standard deviation (population) used to standardise features. */
export interface ZScoreStats {
  mean: number[];
  std: number[];
}

/** Mean and std of each of the d columns of a row-major n×d array; a constant column gets std 1 (it is only centred). */
export function zScoreStats(points: Float32Array, d: number): ZScoreStats {
  const n = Math.floor(points.length / d);
  const sum = new Float64Array(d), sq = new Float64Array(d);
  for (let i = 0, o = 0; i < n; i++, o += d) {
    for (let j = 0; j < d; j++) {
      const v = points[o + j];
      sum[j] += v;
      sq[j] += v * v;
    }
  }
  const mean: number[] = [], std: number[] = [];
  for (let j = 0; j < d; j++) {
    const m = n ? sum[j] / n : 0;
    const v = n ? Math.max(0, sq[j] / n - m * m) : 0;
    mean.push(m);
    std.push(v > 0 ? Math.sqrt(v) : 1);
  }
  return { mean, std };
}

/** (x − mean) / std per column, in place when `out` is `points`. */
export function applyZScore(points: Float32Array, d: number, s: ZScoreStats, out = new Float32Array(points.length)): Float32Array {
  const inv = s.std.map((v) => 1 / v);
  for (let o = 0; o < points.length; o += d) for (let j = 0; j < d; j++) out[o + j] = (points[o + j] - s.mean[j]) * inv[j];
  return out;
}

/** Scaled centroids back to feature units: c·std + mean. */
export function undoZScore(scaled: Float32Array, d: number, s: ZScoreStats): Float64Array {
  const out = new Float64Array(scaled.length);
  for (let o = 0; o < scaled.length; o += d) for (let j = 0; j < d; j++) out[o + j] = scaled[o + j] * s.std[j] + s.mean[j];
  return out;
}
