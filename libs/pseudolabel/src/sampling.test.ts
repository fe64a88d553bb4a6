import { describe, expect, it } from 'vitest';
import { createRng } from '@covseg/io';
import { allocateQuota } from './allocateQuota.js';
import { sampleIndices } from './sampleIndices.js';
import { sampleSlices } from './sampleSlices.js';
import { pickClusterCases, sampleCaseRows } from './clusterCohort.js';

describe('allocateQuota', () => {
  it.each([
    [[100, 100, 100], 90, [30, 30, 30]],
    [[5, 100, 100], 90, [5, 43, 42]],
    [[5, 10, 100], 90, [5, 10, 75]],
    [[5, 10, 20], 90, [5, 10, 20]],
    [[0, 7, 7], 5, [0, 3, 2]],
    [[3, 3], 0, [0, 0]],
  ])('splits evenly, capped by what each has (%j, %i)', (avail, total, want) => {
    expect(allocateQuota(avail, total)).toEqual(want);
  });
});

describe('sampleIndices', () => {
  it('draws distinct sorted indices in range, all when asked for more', () => {
    const s = sampleIndices(1000, 100, createRng(1));
    expect(new Set(s).size).toBe(100);
    expect([...s].every((v, i) => v < 1000 && (i === 0 || v > s[i - 1]))).toBe(true);
    expect(Array.from(sampleIndices(4, 9, createRng(1)))).toEqual([0, 1, 2, 3]);
  });
  it('is uniform: every index of 10 drawn 3 at a time about 30 % of 20,000 draws', () => {
    const hits = new Array(10).fill(0);
    const rng = createRng(2);
    for (let t = 0; t < 20_000; t++) for (const i of sampleIndices(10, 3, rng)) hits[i]++;
    for (const h of hits) expect(Math.abs(h / 20_000 - 0.3)).toBeLessThan(0.015);
  });
});

describe('sampleSlices', () => {
  const cases = [
    { caseId: 'a', lungPixels: [0, 500, 500, 500, 100, 500] },
    { caseId: 'b', lungPixels: Array(40).fill(1000) },
  ];
  it('takes only slices with enough lung, splits the total evenly, and is seeded per case', () => {
    const d = sampleSlices(cases, 10, 200, 1);
    expect(d[0].slices).toEqual([1, 2, 3, 5]);
    expect(d[1].slices).toHaveLength(6);
    expect(sampleSlices(cases, 10, 200, 1)).toEqual(d);
    expect(sampleSlices(cases, 10, 200, 2)[1].slices).not.toEqual(d[1].slices);
    // b's draw does not depend on a's position in the list.
    expect(sampleSlices([cases[1], cases[0]], 10, 200, 1)[0]).toEqual(d[1]);
  });
});

describe('cohort voxel sampling', () => {
  it('picks the configured number of cases by seed, independent of input order', () => {
    const cases = 'fedcba'.split('').map((id) => ({ id }));
    const a = pickClusterCases(cases, { patients: 3, seed: 5 });
    expect(a).toHaveLength(3);
    expect(pickClusterCases([...cases].reverse(), { patients: 3, seed: 5 })).toEqual(a);
    expect(pickClusterCases(cases, { patients: 50, seed: 5 }).map((c) => c.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
  it('takes at most the share of rows from a case, whole rows', () => {
    const v = Float32Array.from({ length: 100 * 2 }, (_, i) => Math.floor(i / 2) * 10 + (i % 2));
    const r = sampleCaseRows(v, 2, 7, 1, 'x');
    expect(r).toHaveLength(14);
    for (let i = 0; i < 7; i++) expect(r[2 * i + 1]).toBe(r[2 * i] + 1);
    expect(sampleCaseRows(v, 2, 1000, 1, 'x')).toEqual(v);
  });
});
