import { describe, expect, it } from 'vitest';
import { fitWindow } from './windowFit.js';

describe('fitWindow', () => {
  it('two exact points give the line through them; their HU sd propagates to low and high', () => {
    // gray 51 ↔ -950 HU, gray 204 ↔ -50 HU: slope 900/153 = 5.882 HU per level → window [-1250, 250]
    const f = fitWindow([
      { gray: 51, sdGray: 0, hu: -950, sdHu: 30 },
      { gray: 204, sdGray: 0, hu: -50, sdHu: 30 },
    ]);
    expect(f.low).toBeCloseTo(-1250, 6);
    expect(f.high).toBeCloseTo(250, 6);
    expect(f.dof).toBe(0);
    // low = (4·hu1 − hu2)/3 (gray 0 lies 1/3 of the span beyond point 1): sd = 30·√(16 + 1)/3
    expect(f.sdLow).toBeCloseTo((30 * Math.sqrt(17)) / 3, 6);
    expect(f.systematicSdLow).toBeCloseTo(f.sdLow, 6);
  });

  it('weights points by their variance, and a disagreeing point raises chi² and (Birge ratio) the sd', () => {
    const good = [
      { gray: 0, sdGray: 0, hu: -1000, sdHu: 10 },
      { gray: 100, sdGray: 0, hu: -500, sdHu: 10 },
      { gray: 200, sdGray: 0, hu: 0, sdHu: 10 },
    ];
    const f = fitWindow(good);
    expect(f.chi2).toBeCloseTo(0, 9);
    expect(f.high).toBeCloseTo(275, 6);
    const bad = fitWindow([...good.slice(0, 2), { gray: 200, sdGray: 0, hu: 300, sdHu: 10 }]);
    expect(bad.chi2).toBeGreaterThan(100);
    expect(bad.sdLow).toBeGreaterThan(f.sdLow * 5);
    // a vague point barely moves the fit
    const vague = fitWindow([...good, { gray: 150, sdGray: 0, hu: 0, sdHu: 1000 }]);
    expect(Math.abs(vague.high - 275)).toBeLessThan(1);
  });

  it('a peak-position sd counts as slope × sdGray HU', () => {
    const f = fitWindow([
      { gray: 0, sdGray: 2, hu: -1000, sdHu: 0 },
      { gray: 255, sdGray: 0, hu: 275, sdHu: 0 },
    ]);
    expect(f.sdLow).toBeCloseTo(2 * 5, 6); // slope 5 HU per level
    expect(f.systematicSdLow).toBeCloseTo(0, 6);
  });
});
