import { describe, expect, it } from 'vitest';
import { createRng } from '@covseg/io';
import { assignClusters } from './assignClusters.js';
import { miniBatchKMeans } from './miniBatchKMeans.js';
import { kmeansPlusPlus } from './kmeansPlusPlus.js';
import { applyZScore, undoZScore, zScoreStats } from './zScore.js';
import { gaussianMixture } from '../test/synthetic.js';

const opts = { k: 3, nInit: 3, batchSize: 1024, initSize: 0, maxIter: 100, tol: 0, maxNoImprovement: 10, seed: 7 };

/** Brute-force nearest centroid and squared distance in float64. */
function bruteAssign(p: Float32Array, d: number, c: Float32Array, k: number) {
  const n = p.length / d;
  const labels = new Uint8Array(n);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0, bd = Infinity;
    for (let q = 0; q < k; q++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (p[i * d + j] - c[q * d + j]) ** 2;
      if (s < bd) (bd = s), (best = q);
    }
    labels[i] = best;
    inertia += bd;
  }
  return { labels, inertia };
}

describe('assignClusters', () => {
  it.each([8, 5])('matches brute force nearest centroid (d=%i)', (d) => {
    const rng = createRng(1);
    const p = Float32Array.from({ length: 3000 * d }, () => rng.normal());
    const c = Float32Array.from({ length: 4 * d }, () => rng.normal());
    const a = assignClusters(p, d, c, 4);
    const b = bruteAssign(p, d, c, 4);
    expect(a.labels).toEqual(b.labels);
    expect(a.inertia).toBeCloseTo(b.inertia, 6);
  });
});

describe('zScore', () => {
  it('gives mean 0 / std 1 columns and inverts exactly on centroids', () => {
    const { points } = gaussianMixture([[100, -5, 0.2], [300, 5, 0.4]], [10, 2], 2000, 3);
    const s = zScoreStats(points, 3);
    const z = applyZScore(points, 3, s);
    const s2 = zScoreStats(z, 3);
    for (let j = 0; j < 3; j++) {
      expect(s2.mean[j]).toBeCloseTo(0, 4);
      expect(s2.std[j]).toBeCloseTo(1, 4);
    }
    const back = undoZScore(z.subarray(0, 3), 3, s);
    for (let j = 0; j < 3; j++) expect(back[j]).toBeCloseTo(points[j], 2);
  });
  it('keeps a constant column finite (std 1)', () => {
    const s = zScoreStats(new Float32Array([5, 1, 5, 2, 5, 3]), 2);
    expect(s.mean).toEqual([5, 2]);
    expect(s.std[0]).toBe(1);
    expect(s.std[1]).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });
});

describe('kmeansPlusPlus', () => {
  it('seeds one centre in each of three far-apart blobs', () => {
    const { points, truth } = gaussianMixture([[0, 0], [50, 0], [0, 50]], [1, 1, 1], 900, 2);
    const c = kmeansPlusPlus(points, 2, 3, createRng(5));
    const blobs = new Set<number>();
    for (let q = 0; q < 3; q++) blobs.add(assignClusters(c.subarray(q * 2, q * 2 + 2), 2, Float32Array.from([0, 0, 50, 0, 0, 50]), 3).labels[0]);
    expect(blobs.size).toBe(3);
    expect(truth.length).toBe(900);
  });
});

describe('miniBatchKMeans', () => {
  const means = [[0, 0, 0, 0, 0, 0, 0, 0], [6, 0, 3, 0, 0, 0, 0, 1], [0, 6, 0, -3, 0, 2, 0, 0]];
  const { points, truth } = gaussianMixture(means, [1, 0.8, 1.2], 60_000, 11);

  it('recovers the mixture: centroids within 0.05 of the true means, >99.5 % points with their component', () => {
    const fit = miniBatchKMeans(points, 8, opts);
    const order = [0, 1, 2].map((t) => assignClusters(Float32Array.from(means[t]), 8, fit.centroids, 3).labels[0]);
    expect(new Set(order).size).toBe(3);
    for (let t = 0; t < 3; t++) for (let j = 0; j < 8; j++) expect(Math.abs(fit.centroids[order[t] * 8 + j] - means[t][j])).toBeLessThan(0.05);
    let agree = 0;
    for (let i = 0; i < truth.length; i++) if (fit.labels[i] === order[truth[i]]) agree++;
    expect(agree / truth.length).toBeGreaterThan(0.995);
    expect(fit.inertia).toBeCloseTo(bruteAssign(points, 8, fit.centroids, 3).inertia, 0);
    expect(fit.stopReason).toBe('plateau');
  });

  it('is deterministic in its seed and changes with it', () => {
    const a = miniBatchKMeans(points, 8, opts), b = miniBatchKMeans(points, 8, opts);
    expect(b.centroids).toEqual(a.centroids);
    expect(b.steps).toBe(a.steps);
    const c = miniBatchKMeans(points, 8, { ...opts, seed: 8 });
    expect(c.centroids).not.toEqual(a.centroids);
  });

  it('reaches the inertia of full Lloyd iterations within 1 %', () => {
    const fit = miniBatchKMeans(points, 8, opts);
    let c = Float32Array.from(fit.centroids);
    for (let it = 0; it < 30; it++) {
      const { labels } = assignClusters(points, 8, c, 3);
      const s = new Float64Array(24), cnt = new Float64Array(3);
      for (let i = 0; i < labels.length; i++) {
        cnt[labels[i]]++;
        for (let j = 0; j < 8; j++) s[labels[i] * 8 + j] += points[i * 8 + j];
      }
      c = Float32Array.from(s, (v, q) => v / cnt[Math.floor(q / 8)]);
    }
    const lloyd = assignClusters(points, 8, c, 3).inertia;
    expect(fit.inertia / lloyd).toBeLessThan(1.01);
    expect(fit.inertia / lloyd).toBeGreaterThan(0.999);
  });

  it('the Lloyd polish on a subset lands at the Lloyd optimum (within 0.05 %)', () => {
    const plain = miniBatchKMeans(points, 8, opts);
    const polished = miniBatchKMeans(points, 8, { ...opts, polishSize: 20_000, polishIter: 30 });
    expect(polished.polishIterations).toBeGreaterThan(0);
    expect(polished.steps).toBe(plain.steps);
    expect(polished.inertia).toBeLessThanOrEqual(plain.inertia * 1.0005);
    let c = Float32Array.from(polished.centroids);
    for (let it = 0; it < 30; it++) {
      const { labels } = assignClusters(points, 8, c, 3);
      const s = new Float64Array(24), cnt = new Float64Array(3);
      for (let i = 0; i < labels.length; i++) {
        cnt[labels[i]]++;
        for (let j = 0; j < 8; j++) s[labels[i] * 8 + j] += points[i * 8 + j];
      }
      c = Float32Array.from(s, (v, q) => v / cnt[Math.floor(q / 8)]);
    }
    expect(polished.inertia / assignClusters(points, 8, c, 3).inertia).toBeLessThan(1.0005);
  });

  it('stops on centroid movement when tol is set, and runs maxIter passes when early stops are off', () => {
    const t = miniBatchKMeans(points, 8, { ...opts, tol: 1e-2, maxNoImprovement: 0 });
    expect(t.stopReason).toBe('tol');
    const m = miniBatchKMeans(points.subarray(0, 2048 * 8), 8, { ...opts, maxIter: 3, maxNoImprovement: 0 });
    expect(m.stopReason).toBe('maxIter');
    expect(m.steps).toBe(6);
  });

  it('with a permuted initialisation ends at the same centroids, permuted', () => {
    const init = Float32Array.from([...means[0], ...means[1], ...means[2]].map((v) => v + 0.3));
    const perm = [2, 0, 1];
    const permuted = Float32Array.from(perm.flatMap((p) => Array.from(init.subarray(p * 8, p * 8 + 8))));
    const a = miniBatchKMeans(points, 8, { ...opts, initialCentroids: init });
    const b = miniBatchKMeans(points, 8, { ...opts, initialCentroids: permuted });
    perm.forEach((p, q) => expect(Array.from(b.centroids.subarray(q * 8, q * 8 + 8))).toEqual(Array.from(a.centroids.subarray(p * 8, p * 8 + 8))));
  });
});
