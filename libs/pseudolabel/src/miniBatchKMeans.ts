import { createRng, type Rng } from '@covseg/io';
import { assignClusters } from './assignClusters.js';
import { kmeansPlusPlus } from './kmeansPlusPlus.js';

/** Options of the mini-batch K-means fit (same meaning as scikit-learn's MiniBatchKMeans). */
export interface MiniBatchKMeansOptions {
  k: number;
  nInit: number;
  batchSize: number;
  /** Points per init subset; 0 = 3 × batchSize. */
  initSize: number;
  /** Passes over the data: steps = ⌊maxIter · n / batchSize⌋. */
  maxIter: number;
  /** Relative centroid-movement tolerance (0 disables). */
  tol: number;
  /** Steps without smoothed-inertia improvement before stopping (0 disables). */
  maxNoImprovement: number;
  seed: number | string;
  /** Rows of a random subset on which Lloyd iterations polish the mini-batch centroids (0 / absent = no polish). */
  polishSize?: number;
  /** Most Lloyd iterations of the polish (it stops earlier when no subset label changes). */
  polishIter?: number;
  /** Start from these k×d centroids instead of k-means++ (nInit is then ignored). */
  initialCentroids?: Float32Array;
}

export type StopReason = 'tol' | 'plateau' | 'maxIter';

export interface MiniBatchKMeansFit {
  /** k×d centroids in the input's units. */
  centroids: Float32Array;
  k: number;
  d: number;
  /** Sum of squared distances of all n points to their nearest centroid. */
  inertia: number;
  /** Nearest-centroid label of every input point. */
  labels: Uint8Array;
  steps: number;
  stopReason: StopReason;
  /** Lloyd iterations run by the polish. */
  polishIterations: number;
}

/** n random row indices in [0, n) drawn with replacement. */
function randomRows(rng: Rng, n: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.min(n - 1, Math.floor(rng.next() * n));
  return out;
}

/** The rows `idx` of an n×d array, copied into a dense count×d array. */
function gatherRows(points: Float32Array, d: number, idx: Uint32Array, out = new Float32Array(idx.length * d)): Float32Array {
  // A plain loop: a subarray per row costs more than the copy itself.
  for (let i = 0, o = 0; i < idx.length; i++) for (let j = 0, s = idx[i] * d; j < d; j++) out[o++] = points[s + j];
  return out;
}

/**
 * Lloyd iterations (assign, then move each centroid to its points' mean) on a subset, in place:
 * the mini-batch learning rate decays as 1/count, so centroids can stall in flat valleys of the
 * inertia; a few exact iterations on a subsample finish the descent at little cost.
 */
function lloydPolish(subset: Float32Array, d: number, centers: Float32Array, k: number, maxIter: number): number {
  const n = subset.length / d;
  const labels = new Uint8Array(n).fill(255);
  const next = new Uint8Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let it = 0; it < maxIter; it++) {
    assignClusters(subset, d, centers, k, next);
    let changed = 0;
    for (let i = 0; i < n; i++) if (next[i] !== labels[i]) changed++;
    if (changed === 0) return it;
    labels.set(next);
    sums.fill(0);
    counts.fill(0);
    for (let i = 0, o = 0; i < n; i++) {
      const c = labels[i];
      counts[c]++;
      for (let j = 0; j < d; j++) sums[c * d + j] += subset[o++];
    }
    for (let c = 0; c < k; c++) if (counts[c] > 0) for (let j = 0; j < d; j++) centers[c * d + j] = sums[c * d + j] / counts[c];
  }
  return maxIter;
}

/** Mean over features of the per-feature variance: scikit-learn scales `tol` by it. */
function meanVariance(points: Float32Array, d: number): number {
  const n = points.length / d;
  let total = 0;
  for (let j = 0; j < d; j++) {
    let s = 0, q = 0;
    for (let o = j; o < points.length; o += d) {
      s += points[o];
      q += points[o] * points[o];
    }
    total += q / n - (s / n) ** 2;
  }
  return total / d;
}

/**
 * Mini-batch K-means (Sculley 2010) on a row-major n×d Float32Array, following scikit-learn 1.2's
 * MiniBatchKMeans: nInit k-means++ seedings on random subsets, the best kept by inertia on a
 * validation subset; then steps on random batches where each centroid moves to the running
 * weighted mean of the points it has received; stops on centroid movement ≤ tol or when the
 * smoothed batch inertia has not improved for maxNoImprovement steps. Deterministic in `seed`.
 */
export function miniBatchKMeans(points: Float32Array, d: number, o: MiniBatchKMeansOptions): MiniBatchKMeansFit {
  const n = Math.floor(points.length / d);
  const { k } = o;
  if (n < k) throw new RangeError(`mini-batch K-means: ${n} points for k=${k}`);
  const rng = createRng(`minibatch-kmeans:${o.seed}`);
  const batch = Math.min(o.batchSize, n);
  const initSize = Math.min(n, o.initSize > 0 ? o.initSize : 3 * batch);

  let centers: Float32Array;
  if (o.initialCentroids) {
    if (o.initialCentroids.length !== k * d) throw new RangeError(`initialCentroids has ${o.initialCentroids.length} values, expected ${k}×${d}`);
    centers = Float32Array.from(o.initialCentroids);
  } else {
    const valid = gatherRows(points, d, randomRows(rng, n, initSize));
    let best: Float32Array | null = null, bestInertia = Infinity;
    for (let t = 0; t < o.nInit; t++) {
      const subset = gatherRows(points, d, randomRows(rng, n, initSize));
      const c = kmeansPlusPlus(subset, d, k, rng);
      const { inertia } = assignClusters(valid, d, c, k);
      if (inertia < bestInertia) {
        bestInertia = inertia;
        best = c;
      }
    }
    centers = best!;
  }

  const tol = o.tol > 0 ? o.tol * meanVariance(points, d) : 0;
  const steps = Math.max(1, Math.floor((o.maxIter * n) / batch));
  const alpha = Math.min(1, (2 * batch) / (n + 1));
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const batchCount = new Float64Array(k);
  const xb = new Float32Array(batch * d);
  const lb = new Uint8Array(batch);
  const prev = new Float32Array(k * d);
  let ewa = NaN, ewaMin = Infinity, noImprovement = 0;
  let step = 0;
  let stopReason: StopReason = 'maxIter';
  for (; step < steps; step++) {
    gatherRows(points, d, randomRows(rng, n, batch), xb);
    const { inertia } = assignClusters(xb, d, centers, k, lb);
    prev.set(centers);
    sums.fill(0);
    batchCount.fill(0);
    for (let i = 0; i < batch; i++) {
      const c = lb[i];
      batchCount[c]++;
      for (let j = 0; j < d; j++) sums[c * d + j] += xb[i * d + j];
    }
    let moved = 0;
    for (let c = 0; c < k; c++) {
      if (batchCount[c] === 0) continue;
      const w = counts[c] + batchCount[c];
      for (let j = 0; j < d; j++) centers[c * d + j] = (centers[c * d + j] * counts[c] + sums[c * d + j]) / w;
      counts[c] = w;
      for (let j = 0; j < d; j++) moved += (centers[c * d + j] - prev[c * d + j]) ** 2;
    }
    // As scikit-learn: the first step (inertia of the raw initialisation) is ignored, the second
    // seeds the smoothed inertia; seeding it with the first keeps it "improving" for ~1/alpha steps.
    if (step === 0) continue;
    ewa = Number.isNaN(ewa) ? inertia / batch : ewa * (1 - alpha) + (inertia / batch) * alpha;
    if (tol > 0 && moved <= tol) {
      stopReason = 'tol';
      step++;
      break;
    }
    if (ewa < ewaMin) {
      noImprovement = 0;
      ewaMin = ewa;
    } else noImprovement++;
    if (o.maxNoImprovement > 0 && noImprovement >= o.maxNoImprovement) {
      stopReason = 'plateau';
      step++;
      break;
    }
  }
  const polishSize = o.polishSize ?? 0, polishIter = o.polishIter ?? 0;
  const polishIterations = polishSize > 0 && polishIter > 0 ? lloydPolish(gatherRows(points, d, randomRows(rng, n, Math.min(n, polishSize))), d, centers, k, polishIter) : 0;
  const { labels, inertia } = assignClusters(points, d, centers, k);
  return { centroids: centers, k, d, inertia, labels, steps: step, stopReason, polishIterations };
}
