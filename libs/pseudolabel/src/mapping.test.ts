import { describe, expect, it } from 'vitest';
import { mapClustersToClasses } from './clusterMapping.js';
import { fitKMeansModel, classifyVoxels } from './kmeansModel.js';
import { gaussianMixture } from '../test/synthetic.js';

const names = ['hu', 'hu_s1', 'l1', 'l2', 'l3', 'frangi_s1', 'frangi_s2', 'frangi_s3'];
// Centroids in original units: GGO (-500 HU, no vesselness), consolidation (20 HU, low), vessel (30 HU, high).
const ggo = [-500, -490, 0, 1, 2, 0.01, 0.01, 0.0];
const cons = [20, 15, 0, 2, 5, 0.05, 0.02, 0.01];
const vessel = [30, 0, -1, -30, -40, 0.6, 0.4, 0.2];

describe('mapClustersToClasses', () => {
  it.each([
    [[ggo, cons, vessel], [2, 3, 4]],
    [[vessel, ggo, cons], [4, 2, 3]],
    [[cons, vessel, ggo], [3, 4, 2]],
    [[cons, ggo, vessel], [3, 2, 4]],
  ])('maps by centroid meaning whatever the cluster order (%#)', (cs, want) => {
    expect(mapClustersToClasses(cs.flat(), 3, names)).toEqual(want);
  });
  it('uses the vesselness, not the HU, for vessels: a dense but non-tubular cluster is consolidation', () => {
    const denser = [200, 190, 0, 2, 5, 0.05, 0.02, 0.01];
    expect(mapClustersToClasses([...vessel, ...denser, ...ggo], 3, names)).toEqual([4, 3, 2]);
  });
  it('with k = 4 the extra cluster is GGO', () => {
    expect(mapClustersToClasses([...ggo, ...cons, ...vessel, ...ggo.map((v, j) => (j === 0 ? v + 1 : v))], 4, names)).toEqual([2, 3, 4, 2]);
  });
  it('refuses features without Frangi or HU channels', () => {
    expect(() => mapClustersToClasses([1, 2, 3], 3, ['x'])).toThrow(/no Frangi feature/);
    expect(() => mapClustersToClasses([1, 2, 3, 4, 5, 6], 3, ['frangi', 'x'])).toThrow(/no 'hu' feature/);
  });
});

describe('fitKMeansModel', () => {
  const sd = [1, 1, 1]; // in units of each feature's own spread below
  const scale = [60, 60, 3, 5, 5, 0.03, 0.03, 0.02];
  const { points, truth } = gaussianMixture([ggo, cons, vessel].map((m) => m.map((v, j) => v / scale[j])), sd, 30_000, 4);
  for (let i = 0; i < points.length; i++) points[i] *= scale[i % 8];
  const cfg = { patients: 1, sampleVoxels: 30_000, k: 3, nInit: 3, batchSize: 1024, initSize: 0, maxIter: 100, tol: 0, maxNoImprovement: 10, seed: 3 };

  it('labels a three-class mixture right (>99 %) and stores centroids in both unit systems', () => {
    const m = fitKMeansModel(points, names, cfg);
    const classes = classifyVoxels(points, m);
    const want = [2, 3, 4];
    let ok = 0;
    for (let i = 0; i < truth.length; i++) if (classes[i] === want[truth[i]]) ok++;
    expect(ok / truth.length).toBeGreaterThan(0.99);
    const v = m.mapping.indexOf(4);
    expect(m.centroids.original[v][0]).toBeCloseTo(30, -1);
    expect(m.centroids.original[v][5]).toBeCloseTo(0.6, 1);
    for (let j = 0; j < 8; j++) expect(m.centroids.original[v][j]).toBeCloseTo(m.centroids.scaled[v][j] * m.scaling.std[j] + m.scaling.mean[j], 6);
    expect(m.classCounts.ggo + m.classCounts.consolidation + m.classCounts.vessels).toBe(30_000);
    expect(m.sampleSize).toBe(30_000);
  });

  it('gives the same classes whatever the order of the initial centroids', () => {
    const base = fitKMeansModel(points, names, cfg);
    const init = Float32Array.from(base.centroids.scaled.flat());
    const classesFor = (perm: number[]) => {
      const permuted = Float32Array.from(perm.flatMap((p) => Array.from(init.subarray(p * 8, p * 8 + 8))));
      const m = fitKMeansModel(points, names, cfg, { initialCentroids: permuted });
      return { classes: classifyVoxels(points, m), byClass: [2, 3, 4].map((c) => m.centroids.original[m.mapping.indexOf(c)]) };
    };
    const a = classesFor([0, 1, 2]);
    for (const perm of [[1, 2, 0], [2, 1, 0], [1, 0, 2]]) {
      const b = classesFor(perm);
      expect(b.classes).toEqual(a.classes);
      expect(b.byClass).toEqual(a.byClass);
    }
  });

  it('same seed → identical JSON', () => {
    expect(JSON.stringify(fitKMeansModel(points, names, cfg))).toBe(JSON.stringify(fitKMeansModel(points, names, cfg)));
  });
});
