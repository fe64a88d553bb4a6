import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, type SliceEntry, type Rng, xoshiroRng } from '@covseg/io';
import { classBalancedWeights, epochOrder, loadBatch, openDataset, shuffleBuffer, splitByPatient } from './dataset.js';
import { normalizeWindow } from './normalize.js';
import { resizeBilinear, resizeNearest } from './resize.js';
import { oversampleCorrected } from './oversampleCorrected.js';
import { writeSyntheticShards } from './testing/syntheticSlices.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'covseg-unet-ds-'));

describe('patient split and epoch order', () => {
  const slices = Array.from({ length: 40 }, (_, i) => ({ caseId: `c${i % 7}`, shard: i % 3, classCounts: [10, 5, i % 4 === 0 ? 3 : 0, 0, 1] })) as unknown as SliceEntry[];

  it('never puts a patient in both splits and is deterministic', () => {
    const s = splitByPatient(slices, 0.3, 5);
    const trainCases = new Set(s.train.map((i) => slices[i].caseId));
    expect(s.validationCases.length).toBe(3); // ⌈0.3·7⌉
    s.validation.forEach((i) => expect(trainCases.has(slices[i].caseId)).toBe(false));
    expect(s.train.length + s.validation.length).toBe(40);
    expect(splitByPatient(slices, 0.3, 5)).toEqual(s);
  });

  it('cases with a corrected slice always train; without corrections the split is unchanged', () => {
    const corrected = slices.map((e) => ({ ...e, corrected: e.caseId === 'c1' || e.caseId === 'c4' }));
    for (let seed = 0; seed < 20; seed++) {
      const s = splitByPatient(corrected, 0.3, seed);
      expect(s.validationCases).toHaveLength(3);
      expect(s.validationCases.filter((c) => c === 'c1' || c === 'c4')).toEqual([]);
      expect(splitByPatient(slices.map((e) => ({ ...e, corrected: false })), 0.3, seed)).toEqual(splitByPatient(slices, 0.3, seed));
    }
    // 7 cases, 5 corrected: validation takes the 2 others only
    const most = slices.map((e) => ({ ...e, corrected: !['c0', 'c6'].includes(e.caseId) }));
    expect(splitByPatient(most, 0.3, 3).validationCases).toEqual(['c0', 'c6']);
    expect(splitByPatient(slices.map((e) => ({ ...e, corrected: true })), 0.3, 3).validation).toEqual([]);
  });

  it('validation holds lesion cases in proportion, and training keeps at least one', () => {
    // 10 cases: c0–c2 with lesions, c3–c9 without
    const mixed = Array.from({ length: 50 }, (_, i) => ({ caseId: `c${i % 10}`, shard: 0, classCounts: [10, 5, i % 10 < 3 && i >= 10 ? 2 : 0, 0, 1] })) as unknown as SliceEntry[];
    for (let seed = 0; seed < 20; seed++) {
      const s = splitByPatient(mixed, 0.3, seed); // 3 validation cases: round(3·3/10) = 1 with lesions
      const lesionVal = s.validationCases.filter((c) => +c.slice(1) < 3);
      expect(s.validationCases).toHaveLength(3);
      expect(lesionVal).toHaveLength(1);
    }
    // one lesion case only: it stays in training
    const one = mixed.map((e) => ({ ...e, classCounts: e.caseId === 'c0' ? e.classCounts : [10, 5, 0, 0, 1] }));
    for (let seed = 0; seed < 10; seed++) expect(splitByPatient(one, 0.3, seed).validationCases).not.toContain('c0');
    // only lesion cases: validation still gets its quota
    const all = mixed.map((e) => ({ ...e, classCounts: [10, 5, 2, 0, 1] }));
    expect(splitByPatient(all, 0.3, 1).validationCases).toHaveLength(3);
  });

  it('one pass visits every training slice exactly once; shuffle buffer emits a permutation', () => {
    const ids = Array.from({ length: 40 }, (_, i) => i);
    const order = epochOrder(slices, ids, 40, { shuffleBuffer: 8, classBalanced: false, correctedOversample: 1 }, xoshiroRng([1, 2, 3, 4]));
    expect([...order].sort((a, b) => a - b)).toEqual(ids);
    expect(order).not.toEqual(ids);
    expect(shuffleBuffer(ids, 5, xoshiroRng([4, 3, 2, 1])).sort((a, b) => a - b)).toEqual(ids);
    // longer than one pass: whole passes then a prefix
    const two = epochOrder(slices, ids, 90, { shuffleBuffer: 8, classBalanced: false, correctedOversample: 1 }, xoshiroRng([1, 2, 3, 4]));
    expect(two.length).toBe(90);
    expect([...two.slice(0, 40)].sort((a, b) => a - b)).toEqual(ids);
  });

  it('class-balanced sampling draws slices with rare classes more often', () => {
    const ids = Array.from({ length: 40 }, (_, i) => i);
    const w = classBalancedWeights(slices, ids);
    expect(w[0]).toBeCloseTo(1 / 10, 12); // class 2 is in 10 of 40 slices
    expect(w[1]).toBeCloseTo(1 / 40, 12);
    const order = epochOrder(slices, ids, 4000, { shuffleBuffer: 8, classBalanced: true, correctedOversample: 1 }, xoshiroRng([1, 2, 3, 4]));
    const withLesion = order.filter((i) => i % 4 === 0).length / order.length;
    // expected share: 10·(1/10) / (10·(1/10) + 30·(1/40)) = 4/7
    expect(withLesion).toBeGreaterThan(4 / 7 - 0.03);
    expect(withLesion).toBeLessThan(4 / 7 + 0.03);
  });
});

describe('oversampling corrected slices', () => {
  const slices = Array.from({ length: 40 }, (_, i) => ({ caseId: `c${i % 7}`, shard: i % 3, classCounts: [10, 5, i % 4 === 0 ? 3 : 0, 0, 1], ...(i % 10 === 3 ? { corrected: true } : {}) })) as unknown as SliceEntry[];
  const ids = Array.from({ length: 40 }, (_, i) => i);
  const corrected = [3, 13, 23, 33];

  it('repeats each corrected slice ⌊f⌋ times (+1 with probability f − ⌊f⌋); factor 1 or no corrected slice changes nothing', () => {
    const three = oversampleCorrected(slices, ids, 3, xoshiroRng([1, 2, 3, 4]));
    expect(three).toHaveLength(40 + 2 * 4);
    for (const c of corrected) expect(three.filter((i) => i === c)).toHaveLength(3);
    expect(oversampleCorrected(slices, ids, 1, xoshiroRng([1, 2, 3, 4]))).toBe(ids);
    const plain = slices.map((s) => ({ ...s, corrected: undefined })) as SliceEntry[];
    const rng = xoshiroRng([1, 2, 3, 4]);
    expect(oversampleCorrected(plain, ids, 5, rng)).toBe(ids);
    expect(rng.next()).toBe(xoshiroRng([1, 2, 3, 4]).next()); // nothing drawn
    // 2.5: over many draws, 2.5 copies per corrected slice on average
    const r = xoshiroRng([9, 9, 9, 9]);
    let copies = 0;
    for (let k = 0; k < 2000; k++) copies += oversampleCorrected(slices, ids, 2.5, r).length - 36;
    expect(copies / 2000 / 4).toBeGreaterThan(2.45);
    expect(copies / 2000 / 4).toBeLessThan(2.55);
  });

  it('epoch order (plain and class-balanced) draws corrected slices f times as often', () => {
    for (const classBalanced of [false, true]) {
      const order = epochOrder(slices, ids, 40_000, { shuffleBuffer: 8, classBalanced, correctedOversample: 4 }, xoshiroRng([5, 6, 7, 8]));
      const share = order.filter((i) => corrected.includes(i)).length / order.length;
      // plain: 16 of 52 pooled ids; balanced: the class-balanced weights of that pool
      const pool = [...ids, ...corrected, ...corrected, ...corrected];
      const w = classBalancedWeights(slices, pool);
      const want = classBalanced ? w.reduce((a, v, j) => a + (corrected.includes(pool[j]) ? v : 0), 0) / w.reduce((a, v) => a + v, 0) : 16 / 52;
      expect(Math.abs(share - want)).toBeLessThan(0.02);
    }
    const without = epochOrder(slices, ids, 40, { shuffleBuffer: 8, classBalanced: false, correctedOversample: 1 }, xoshiroRng([1, 2, 3, 4]));
    expect([...without].sort((a, b) => a - b)).toEqual(ids);
  });
});

describe('loading slices', () => {
  it('windows HU to [0, 1] and resizes slices of another size to the model input', () => {
    expect(Array.from(normalizeWindow([-2000, -1024, -362, 300, 1000], { low: -1024, high: 300 }))).toEqual([0, 0, 0.5, 1, 1]);
    const dir = join(tmp(), 'shards');
    const recs = writeSyntheticShards(dir, 2, 2, 24, 1);
    const ds = openDataset(dir);
    const b = loadBatch(ds, [0, 3], 32, { low: -1024, high: 300 });
    expect(b.x.length).toBe(2 * 32 * 32);
    expect(Math.min(...b.x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...b.x)).toBeLessThanOrEqual(1);
    expect(Array.from(b.y.subarray(32 * 32))).toEqual(Array.from(resizeNearest(recs[3].label, 24, 24, 32, 32)));
    expect(resizeBilinear(new Float32Array([0, 1, 0, 1]), 2, 2, 4, 4)[0]).toBe(0);
  });
});

describe('bad input gives a clear error', () => {
  it('empty shard folder', () => {
    const dir = tmp();
    expect(() => openDataset(dir)).toThrow(InputError);
    expect(() => openDataset(dir)).toThrow(/not a shard store \(no index.json\)/);
  });

  it('label size that does not match the image size', () => {
    const dir = join(tmp(), 'shards');
    writeSyntheticShards(dir, 2, 1, 16, 1);
    const p = join(dir, 'index.json');
    const idx = JSON.parse(readFileSync(p, 'utf8'));
    idx.slices[1].classCounts[0] -= 7; // label has 7 pixels fewer than 16×16
    writeFileSync(p, JSON.stringify(idx));
    expect(() => openDataset(dir)).toThrow(/index.json.*\(case001_z0000\)\.classCounts are not 5 pixel counts summing to 16×16/);
  });

  it('slice size larger than its shard holds', () => {
    const dir = join(tmp(), 'shards');
    writeSyntheticShards(dir, 2, 1, 16, 1);
    truncateSync(join(dir, 'shard-00000.bin'), 16 * 16 * 3 + 10);
    expect(() => openDataset(dir)).toThrow(/case001_z0000 \(16×16\) runs past the end of its shard/);
  });

  it('NaN or infinite intensities', () => {
    expect(() => normalizeWindow(Float32Array.from([0, NaN]), { low: -1024, high: 300 }, undefined, 'slice 3')).toThrow(/slice 3: non-finite value \(NaN\) at pixel 1/);
    expect(() => normalizeWindow([Infinity], { low: -1024, high: 300 })).toThrow(InputError);
  });

  it('a single patient cannot be split', () => {
    const dir = join(tmp(), 'shards');
    mkdirSync(dir);
    writeSyntheticShards(join(dir, 's'), 1, 2, 16, 1);
    expect(() => splitByPatient(openDataset(join(dir, 's')).index.slices, 0.2, 1)).toThrow(/needs at least 2 cases/);
  });
});
