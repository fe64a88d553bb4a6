import { describe, expect, it } from 'vitest';
import { grayToHu, parseWindow } from './window.js';

describe('--window LO,HI', () => {
  it('maps 0..255 linearly and exactly: 0 → LO, 255 → HI, 51 → LO + 0.2·(HI − LO)', () => {
    const hu = grayToHu(Uint8Array.from([0, 51, 255, 128, 1]), parseWindow('-1250,250'));
    expect(Array.from(hu)).toEqual([-1250, -950, 250, Math.round(-1250 + (128 * 1500) / 255), -1244]); // 1500/255 = 5.88 → -1244.1
  });
  it('rounds to the nearest HU and clamps to int16 instead of wrapping', () => {
    expect(Array.from(grayToHu(Uint8Array.from([1, 2, 3]), { low: -1024, high: 300 }))).toEqual([-1019, -1014, -1008]); // 5.192 HU per level
    expect(Array.from(grayToHu(Uint8Array.from([0, 255]), { low: -40000, high: 40000 }))).toEqual([-32768, 32767]);
  });
  it('refuses a malformed or inverted window', () => {
    expect(() => parseWindow('250,-1250')).toThrow(/LO < HI/);
    expect(() => parseWindow('lung')).toThrow(/LO,HI/);
    expect(parseWindow(' -1350 , 150 ')).toEqual({ low: -1350, high: 150 });
  });
});
