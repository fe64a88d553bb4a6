import { describe, expect, it } from 'vitest';
import { bridgeSlices } from './bridgeSlices.js';

/** A 9-slice stack of 1×2 columns: column 0 as given, column 1 lung only in the top slices. */
function stack(col0: number[]): Uint8Array {
  const m = new Uint8Array(9 * 2);
  col0.forEach((v, z) => (m[z * 2] = v));
  for (let z = 6; z < 9; z++) m[z * 2 + 1] = 1;
  return m;
}

describe('bridgeSlices', () => {
  const gap = [1, 1, 1, 0, 0, 0, 1, 1, 1];
  it('fills a column gap with lung within `steps` slices on both sides, exactly', () => {
    const m = stack(gap);
    expect(bridgeSlices(m, new Uint8Array(18).fill(1), [9, 1, 2], 3)).toBe(3);
    expect(Array.from({ length: 9 }, (_, z) => m[z * 2])).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const two = stack(gap);
    bridgeSlices(two, new Uint8Array(18).fill(1), [9, 1, 2], 2);
    expect(Array.from({ length: 9 }, (_, z) => two[z * 2])).toEqual([1, 1, 1, 0, 1, 0, 1, 1, 1]);
  });

  it('never fills a column with lung on one side only, nor outside `allowed`', () => {
    const m = stack(gap);
    const allowed = new Uint8Array(18).fill(1);
    allowed[4 * 2] = 0;
    expect(bridgeSlices(m, allowed, [9, 1, 2], 8)).toBe(2);
    expect(Array.from({ length: 9 }, (_, z) => m[z * 2 + 1])).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(m[4 * 2]).toBe(0);
  });
});
