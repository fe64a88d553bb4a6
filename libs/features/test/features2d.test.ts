import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfigSection, IDENTITY_DIRECTION, type Volume } from '@covseg/io';
import { computeFeatures, featuresConfigSchema, frangiVesselness2d, frangiTerms, symmetricEigenvalues2 } from '../src/index.js';

// Reference: scikit-image 0.19.3 2D outputs, written by tools/fixtures/make_2d_fixtures.py (Debian python3-skimage).
const DIR = new URL('./fixtures2d/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(DIR + 'manifest.json', 'utf8'));
const [NY, NX] = manifest.shape as [number, number];
const f32 = (name: string) => new Float32Array(readFileSync(DIR + manifest.files[name].file).buffer.slice(0));
const cfg = featuresConfigSchema.parse({ ...(defaultConfigSection('features') as object), workers: 0 });

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('2D features (one slice) equal scikit-image 0.19 2D', async () => {
  const ct = new Int16Array(readFileSync(DIR + manifest.files.ct.file).buffer.slice(0));
  const volume: Volume = { data: ct, shape: [1, NY, NX], spacing: [2, 0.7, 0.7], origin: [0, 0, 0], direction: [...IDENTITY_DIRECTION] };
  const set = await computeFeatures(volume, new Uint8Array(ct.length).fill(1), cfg, { region: 'all' });
  const channel = (name: string) => {
    const c = set.names.indexOf(name);
    return Float32Array.from({ length: ct.length }, (_, r) => set.values[r * set.names.length + c]);
  };

  it('has 8 channels: hu, hu_s1, l1, l2, frangi_s1..s3, frangi_max', () => {
    expect(set.names).toEqual(['hu', 'hu_s1', 'l1', 'l2', 'frangi_s1', 'frangi_s2', 'frangi_s3', 'frangi_max']);
    expect(Array.from(channel('hu'))).toEqual(Array.from(ct));
  });

  it('Gaussian σ=1 (mode nearest) ≤ 1e-3 HU', () => {
    expect(maxAbsDiff(channel('hu_s1'), f32('gaussian_s1'))).toBeLessThanOrEqual(1e-3);
  });

  it('Hessian eigenvalues σ=1 (reflect), sorted by |λ|: ≤ 1e-3 (values up to ~10²)', () => {
    const e0 = f32('hessian_s1_eig0'), e1 = f32('hessian_s1_eig1');
    const small = Float32Array.from(e0, (v, i) => (Math.abs(v) <= Math.abs(e1[i]) ? v : e1[i]));
    const large = Float32Array.from(e0, (v, i) => (Math.abs(v) <= Math.abs(e1[i]) ? e1[i] : v));
    expect(maxAbsDiff(channel('l1'), small)).toBeLessThanOrEqual(1e-3);
    expect(maxAbsDiff(channel('l2'), large)).toBeLessThanOrEqual(1e-3);
  });

  it('Frangi per σ and max over σ (black_ridges=False, α=β=0.5, γ=15) ≤ 1e-5', () => {
    for (const s of [1, 2, 3]) expect(maxAbsDiff(channel(`frangi_s${s}`), f32(`frangi_s${s}`))).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(channel('frangi_max'), f32('frangi_max'))).toBeLessThanOrEqual(1e-5);
  });

  it('invariants: 2×2 eigenvalues of a known matrix; a bright ridge scores, a dark valley does not', () => {
    const ev = new Float64Array(2);
    symmetricEigenvalues2(2, 1, 2, ev); // eigenvalues 1 and 3
    expect(Array.from(ev)).toEqual([1, 3]);
    const t = frangiTerms(0.5, 0.5, 15);
    expect(frangiVesselness2d(-0.1, -40, t)).toBeGreaterThan(0.9); // across-ridge curvature ≫ along-ridge
    expect(frangiVesselness2d(0.1, 40, t)).toBe(0);
  });
});
