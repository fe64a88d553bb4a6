import type { Rng } from '@covseg/io';

/** Squared Euclidean distance between row a of `x` and row b of `y` (both d wide). */
export function sqDist(x: Float32Array, a: number, y: Float32Array, b: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = x[a * d + j] - y[b * d + j];
    s += t * t;
  }
  return s;
}

/** Index of the first cumulative weight above u·total (binary search over a prefix sum). */
function drawWeighted(prefix: Float64Array, u: number): number {
  const target = u * prefix[prefix.length - 1];
  let lo = 0, hi = prefix.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (prefix[mid] <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with scikit-learn's 2 + ⌊ln k⌋ local trials):
 * k rows of the n×d `points` chosen with probability ∝ squared distance to the nearest chosen one.
 */
export function kmeansPlusPlus(points: Float32Array, d: number, k: number, rng: Rng): Float32Array {
  const n = Math.floor(points.length / d);
  if (n < k) throw new RangeError(`k-means++: ${n} points cannot seed ${k} clusters`);
  const trials = 2 + Math.floor(Math.log(k));
  const centers = new Float32Array(k * d);
  const first = Math.min(n - 1, Math.floor(rng.next() * n));
  centers.set(points.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = sqDist(points, i, centers, 0, d);
  const prefix = new Float64Array(n);
  const candidateDist = new Float64Array(n);
  const bestDist = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) prefix[i] = acc += closest[i];
    let bestPot = Infinity, bestIdx = -1;
    for (let t = 0; t < trials; t++) {
      // All points coincide with the chosen centres: any point is as good as another.
      const idx = acc > 0 ? drawWeighted(prefix, rng.next()) : Math.min(n - 1, Math.floor(rng.next() * n));
      let pot = 0;
      for (let i = 0; i < n; i++) {
        const dd = Math.min(closest[i], sqDist(points, i, points, idx, d));
        candidateDist[i] = dd;
        pot += dd;
      }
      if (pot < bestPot) {
        bestPot = pot;
        bestIdx = idx;
        bestDist.set(candidateDist);
      }
    }
    centers.set(points.subarray(bestIdx * d, bestIdx * d + d), c * d);
    closest.set(bestDist);
  }
  return centers;
}
