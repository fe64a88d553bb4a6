import { describe, expect, it } from 'vitest';
import { augmentPair, drawAugmentParams, gaussianBlur2d, IDENTITY_AUGMENT, type AugmentParams } from './augment.js';
import { type Rng, xoshiroRng, rngFor } from '@covseg/io';
import { tinySections } from './testing/syntheticSlices.js';

const H = 20;
const W = 20;
/** Asymmetric pattern: label = class by region, image = label / 4 so alignment is checkable pixel by pixel. */
function pattern(): { image: Float32Array; label: Uint8Array } {
  const label = new Uint8Array(H * W);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) label[y * W + x] = x < 4 ? 0 : y < 6 ? 1 : x + y < 22 ? 2 : x > 15 ? 3 : 4;
  return { image: Float32Array.from(label, (v) => v / 4), label };
}
const geo = (p: Partial<AugmentParams>): AugmentParams => ({ ...IDENTITY_AUGMENT, ...p });

describe('augmentPair', () => {
  it('a quarter turn maps image and label exactly like rot90 (square image)', () => {
    const { image, label } = pattern();
    const out = augmentPair(image, label, H, W, geo({ angle: Math.PI / 2 }), xoshiroRng([1, 2, 3, 4]));
    // Inverse map of a +90° turn about the centre: output (y, x) reads input (y', x') = (W-1-x, y) in this convention.
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const src = (W - 1 - x) * W + y;
        expect(out.label[y * W + x]).toBe(label[src]);
        expect(out.image[y * W + x]).toBeCloseTo(image[src], 6);
      }
  });

  it('flips mirror image and label exactly', () => {
    const { image, label } = pattern();
    const fx = augmentPair(image, label, H, W, geo({ flipX: true }), xoshiroRng([1, 2, 3, 4]));
    const fy = augmentPair(image, label, H, W, geo({ flipY: true }), xoshiroRng([1, 2, 3, 4]));
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        expect(fx.label[y * W + x]).toBe(label[y * W + (W - 1 - x)]);
        expect(fx.image[y * W + x]).toBe(image[y * W + (W - 1 - x)]);
        expect(fy.label[y * W + x]).toBe(label[(H - 1 - y) * W + x]);
      }
  });

  it('keeps image and label aligned under an arbitrary rotation + scaling + flip', () => {
    const { image, label } = pattern();
    const out = augmentPair(image, label, H, W, geo({ angle: (23 * Math.PI) / 180, scale: 1.17, flipX: true }), xoshiroRng([1, 2, 3, 4]));
    // Away from region borders the interpolated image equals label/4 exactly: every mismatch lies within 2 px of a label border (the bilinear footprint).
    const onBorder = (y: number, x: number) => {
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          const yy = Math.min(H - 1, Math.max(0, y + dy));
          const xx = Math.min(W - 1, Math.max(0, x + dx));
          if (out.label[yy * W + xx] !== out.label[y * W + x]) return true;
        }
      return false;
    };
    let interiorMismatch = 0;
    let interior = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        if (onBorder(y, x)) continue;
        interior++;
        if (Math.abs(out.image[y * W + x] * 4 - out.label[y * W + x]) > 1e-5) interiorMismatch++;
      }
    expect(interior).toBeGreaterThan(0.2 * H * W);
    expect(interiorMismatch).toBe(0);
    // labels never get interpolated: only values present in the input
    expect(new Set(out.label)).toEqual(new Set([0, 1, 2, 3, 4]));
  });

  it('labels are never changed by noise or blur', () => {
    const { image, label } = pattern();
    const out = augmentPair(image, label, H, W, geo({ noiseSigma: 0.1, blurSigma: 1 }), xoshiroRng([5, 6, 7, 8]));
    expect(Array.from(out.label)).toEqual(Array.from(label));
    expect(Array.from(out.image)).not.toEqual(Array.from(image));
  });

  it('is deterministic under a seed and differs across seeds', () => {
    const cfg = { ...tinySections().augment, enabled: true, noise: { p: 1, sigma: [0.01, 0.02] as [number, number] }, rotation: { p: 1, degrees: [-20, 20] as [number, number] } };
    const { image, label } = pattern();
    const run = (seed: number) => {
      const rng = rngFor(seed, 0, 0, 0);
      return augmentPair(image, label, H, W, drawAugmentParams(cfg, rng), rng);
    };
    expect(Array.from(run(3).image)).toEqual(Array.from(run(3).image));
    expect(Array.from(run(3).image)).not.toEqual(Array.from(run(4).image));
  });

  it('draws every transform within its configured range and at its probability', () => {
    const cfg = { ...tinySections().augment, enabled: true, rotation: { p: 0.5, degrees: [-10, 10] as [number, number] }, scale: { p: 1, range: [0.9, 1.1] as [number, number] } };
    const rng = xoshiroRng([9, 9, 9, 9]);
    let rotated = 0;
    for (let i = 0; i < 2000; i++) {
      const p = drawAugmentParams(cfg, rng);
      expect(Math.abs(p.angle)).toBeLessThanOrEqual((10 * Math.PI) / 180);
      expect(p.scale).toBeGreaterThanOrEqual(0.9);
      expect(p.scale).toBeLessThanOrEqual(1.1);
      if (p.angle !== 0) rotated++;
    }
    expect(rotated / 2000).toBeGreaterThan(0.46);
    expect(rotated / 2000).toBeLessThan(0.54);
    expect(drawAugmentParams({ ...cfg, enabled: false }, rng)).toEqual(IDENTITY_AUGMENT);
  });

  it('Gaussian blur preserves a constant image and the mean of a pattern', () => {
    const c = gaussianBlur2d(new Float32Array(64).fill(0.3), 8, 8, 1.2);
    c.forEach((v) => expect(v).toBeCloseTo(0.3, 6));
    const { image } = pattern();
    const b = gaussianBlur2d(image, H, W, 1);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean(b) - mean(image))).toBeLessThan(0.01);
  });
});
