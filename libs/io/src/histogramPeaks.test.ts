import { describe, expect, it } from 'vitest';
import { grayHistogram, histogramPeaks, otsuThreshold } from './histogramPeaks.js';
import { createRng } from './random.js';

const settings = { clipFraction: 0.005, clipMarginGray: 4, smoothBins: 2, minPeakSeparation: 6, minLandmarkFraction: 0.02, minProminence: 0.2, minShoulderCurvature: 0.3 };

/** Gray values drawn from Gaussian tissues [mean, sd, count], clipped to 0..255. */
function pixels(tissues: [number, number, number][], seed = 1): Uint8Array {
  const rng = createRng(seed);
  const out: number[] = [];
  for (const [m, sd, n] of tissues) for (let i = 0; i < n; i++) out.push(Math.max(0, Math.min(255, Math.round(m + sd * rng.normal()))));
  return Uint8Array.from(out);
}

describe('histogram peaks', () => {
  it('finds well separated tissues at their mean, with their spread, and Otsu splits dark from bright', () => {
    const h = grayHistogram(pixels([[40, 6, 20000], [200, 4, 12000]]), settings);
    const p = histogramPeaks(h, settings);
    expect(p.map((x) => Math.round(x.gray))).toEqual([40, 200]);
    expect(p[0].spreadGray).toBeGreaterThan(5);
    expect(p[0].spreadGray).toBeLessThan(7.5);
    expect(p.every((x) => !x.shoulder)).toBe(true);
    const t = otsuThreshold(h);
    expect(t).toBeGreaterThan(60);
    expect(t).toBeLessThan(190);
  });

  it('finds a smaller tissue on the flank of a bigger one as a shoulder', () => {
    const p = histogramPeaks(grayHistogram(pixels([[40, 6, 20000], [195, 5, 8000], [210, 5, 20000]]), settings), settings);
    const shoulder = p.find((x) => x.shoulder);
    expect(shoulder).toBeDefined();
    expect(Math.abs(shoulder!.gray - 195)).toBeLessThanOrEqual(4);
    expect(Math.round(p[p.length - 1].gray)).toBe(210);
  });

  it('a clipped end and its margin are excluded: a ramp into 255 is no peak, a few pixels at 0 do not clip', () => {
    const h = grayHistogram(pixels([[40, 6, 20000], [250, 8, 15000]]), settings);
    expect(h.clippedHigh).toBe(true);
    expect(h.hi).toBe(254 - settings.clipMarginGray);
    expect(h.clippedLow).toBe(false);
    expect(h.lo).toBe(1);
    expect(histogramPeaks(h, settings).map((x) => Math.round(x.gray))).toEqual([40]);
  });

  it('ignores tissues below minLandmarkFraction of the pixels', () => {
    const p = histogramPeaks(grayHistogram(pixels([[40, 6, 20000], [120, 2, 100]]), settings), settings);
    expect(p.map((x) => Math.round(x.gray))).toEqual([40]);
  });
});
