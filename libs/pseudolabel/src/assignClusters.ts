/** Nearest-centroid labels of points and their total squared distance. */
export interface Assignment {
  /** Cluster index per point. */
  labels: Uint8Array;
  /** Sum over points of the squared distance to the nearest centroid (feature units²). */
  inertia: number;
}

/**
 * Assigns each of the n points (row-major n×d Float32Array) to its nearest centroid (k×d).
 * Uses ‖x−c‖² = ‖x‖² − 2x·c + ‖c‖² so the arg-min costs one dot product per centroid.
 */
export function assignClusters(points: Float32Array, d: number, centroids: Float32Array, k: number, out?: Uint8Array): Assignment {
  const n = Math.floor(points.length / d);
  if (k > 255) throw new RangeError(`assignClusters: k=${k} does not fit a Uint8Array label`);
  const labels = out ?? new Uint8Array(n);
  const half = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += centroids[c * d + j] * centroids[c * d + j];
    half[c] = 0.5 * s;
  }
  let inertia = 0;
  if (d === 8) return assign8(points, n, centroids, k, half, labels);
  for (let i = 0, o = 0; i < n; i++, o += d) {
    let best = 0, bestScore = Infinity, xx = 0;
    for (let j = 0; j < d; j++) xx += points[o + j] * points[o + j];
    for (let c = 0; c < k; c++) {
      let dot = 0;
      const co = c * d;
      for (let j = 0; j < d; j++) dot += points[o + j] * centroids[co + j];
      const score = half[c] - dot;
      if (score < bestScore) {
        bestScore = score;
        best = c;
      }
    }
    labels[i] = best;
    const dist = xx + 2 * bestScore;
    inertia += dist > 0 ? dist : 0;
  }
  return { labels, inertia };
}

/** The d = 8 case (the default feature stack) unrolled: a point's 8 values stay in registers across centroids. */
function assign8(p: Float32Array, n: number, cen: Float32Array, k: number, half: Float64Array, labels: Uint8Array): Assignment {
  let inertia = 0;
  for (let i = 0, o = 0; i < n; i++, o += 8) {
    const x0 = p[o], x1 = p[o + 1], x2 = p[o + 2], x3 = p[o + 3], x4 = p[o + 4], x5 = p[o + 5], x6 = p[o + 6], x7 = p[o + 7];
    let best = 0, bestScore = Infinity;
    for (let c = 0, co = 0; c < k; c++, co += 8) {
      const score = half[c] - (x0 * cen[co] + x1 * cen[co + 1] + x2 * cen[co + 2] + x3 * cen[co + 3] + x4 * cen[co + 4] + x5 * cen[co + 5] + x6 * cen[co + 6] + x7 * cen[co + 7]);
      if (score < bestScore) {
        bestScore = score;
        best = c;
      }
    }
    labels[i] = best;
    const dist = x0 * x0 + x1 * x1 + x2 * x2 + x3 * x3 + x4 * x4 + x5 * x5 + x6 * x6 + x7 * x7 + 2 * bestScore;
    inertia += dist > 0 ? dist : 0;
  }
  return { labels, inertia };
}
