import { defaultConfigSection } from '@covseg/io';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDENTITY_DIRECTION, type Volume } from '@covseg/io';
import { candidateIndices, channelVolume, computeFeatures, featuresConfigSchema, frangiFilter, gaussianFilter, hessianEigenvalues, hessianMatrix } from '../src/index.js';
import { FIXTURE_SHAPE, haveFixtures, readFixture } from './fixtures.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const cfg = featuresConfigSchema.parse(defaultConfigSection('features'));

describe.skipIf(!haveFixtures)('computeFeatures on the fixture phantom', () => {
  const ct = haveFixtures ? (readFixture('ct.i16') as Int16Array) : new Int16Array();
  const labels = haveFixtures ? (readFixture('labels.u8') as Uint8Array) : new Uint8Array();
  const lung = labels.map((l) => (l >= 2 ? 1 : 0));
  const vol: Volume = { data: ct, shape: [...FIXTURE_SHAPE], spacing: [1.25, 0.75, 0.75], origin: [0, 0, 0], direction: [...IDENTITY_DIRECTION] };
  const f32 = Float32Array.from(ct);

  it('rows = lung ∧ HU > -700, 8 channels equal to the whole-volume filters at those voxels', async () => {
    const set = await computeFeatures(vol, lung, { ...cfg, blockSlices: 10, workers: 2 });
    expect(set.names).toEqual(['hu', 'hu_s1', 'l1', 'l2', 'l3', 'frangi_s1', 'frangi_s2', 'frangi_s3']);
    const expected = candidateIndices(ct, lung, -700);
    expect(Array.from(set.indices)).toEqual(Array.from(expected));
    expect(set.values.length).toBe(expected.length * 8);
    // vessels, GGO and consolidation are candidates; parenchyma (-850) is not
    const kinds = new Set(Array.from(set.indices, (i) => labels[i]));
    expect([...kinds].sort()).toEqual(expect.arrayContaining([3, 4, 5]));
    const smooth = readFixture('gaussian_s1.f32') as Float32Array;
    const fr = await frangiFilter(f32, FIXTURE_SHAPE, [1, 2, 3]);
    const ev = await hessianEigenvalues(f32, FIXTURE_SHAPE, 1, { mode: 'reflect', order: 'abs' });
    for (let r = 0; r < set.indices.length; r++) {
      const i = set.indices[r], row = set.values.subarray(r * 8, r * 8 + 8);
      expect(row[0]).toBe(ct[i]);
      expect(row[1]).toBe(smooth[i]);
      for (let k = 0; k < 3; k++) expect(row[2 + k]).toBe(ev[k][i]);
      for (let k = 0; k < 3; k++) expect(Math.abs(row[5 + k] - (readFixtureCache(k + 1)[i]))).toBeLessThan(1e-5);
      for (let k = 0; k < 3; k++) expect(row[5 + k]).toBe(fr.perSigma[k][i]);
    }
    // scattered channel: zero outside candidates
    const ch = channelVolume(set, 0, ct.length);
    expect(ch[0]).toBe(0);
    expect(ch[set.indices[0]]).toBe(ct[set.indices[0]]);
  });

  it('hessian "diagonal" gives σ²-scaled Hxx, Hyy, Hzz (reflect)', async () => {
    const set = await computeFeatures(vol, lung, { ...cfg, hessian: 'diagonal', hessianSigma: 2, frangiSigmas: [1], workers: 0 });
    expect(set.names).toEqual(['hu', 'hu_s1', 'hxx', 'hyy', 'hzz', 'frangi_s1']);
    const H = hessianMatrix(f32, FIXTURE_SHAPE, 2, { mode: 'reflect', truncate: 4 });
    for (let r = 0; r < set.indices.length; r += 7) {
      const i = set.indices[r];
      expect(set.values[r * 6 + 2]).toBe(Math.fround(H.xx[i] * 4));
      expect(set.values[r * 6 + 3]).toBe(Math.fround(H.yy[i] * 4));
      expect(set.values[r * 6 + 4]).toBe(Math.fround(H.zz[i] * 4));
    }
  });

  it('sigmaUnit mm divides σ by the spacing per axis and differentiates per mm', async () => {
    const set = await computeFeatures(vol, lung, { ...cfg, sigmaUnit: 'mm', smoothSigma: 1.5, workers: 0 });
    const sm = gaussianFilter(f32, FIXTURE_SHAPE, [1.5 / 1.25, 2, 2], { mode: 'nearest', truncate: 4 });
    for (let r = 0; r < set.indices.length; r += 5) expect(set.values[r * 8 + 1]).toBe(sm[set.indices[r]]);
    expect((set.params.sigmasVoxels as { smooth: number[] }).smooth).toEqual([1.2, 2, 2]);
  });
});

const cache = new Map<number, Float32Array>();
function readFixtureCache(k: number): Float32Array {
  if (!cache.has(k)) cache.set(k, readFixture(`frangi_s${k}.f32`) as Float32Array);
  return cache.get(k)!;
}
