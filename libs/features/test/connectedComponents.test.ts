import { describe, expect, it } from 'vitest';
import { connectedComponents } from '../src/index.js';

describe('connectedComponents (the one implementation behind lung masks, cleaning, lesion reports)', () => {
  const [nz, ny, nx] = [12, 20, 20];
  const idx = (z: number, y: number, x: number) => x + nx * (y + ny * z);

  it('splits diagonal neighbours under 6-connectivity and joins them under 18 (edges) and 26 (corners)', () => {
    const m = new Uint8Array(nz * ny * nx);
    m[idx(1, 1, 1)] = 1;
    m[idx(1, 2, 2)] = 1; // edge neighbour
    m[idx(2, 3, 3)] = 1; // corner neighbour of the previous one
    for (let z = 6; z < 9; z++) for (let y = 10; y < 14; y++) for (let x = 10; x < 15; x++) m[idx(z, y, x)] = 1;
    const inMask = (i: number) => m[i] === 1;
    expect(connectedComponents([nz, ny, nx], inMask, 6).count).toBe(4);
    expect(connectedComponents([nz, ny, nx], inMask, 18).count).toBe(3);
    const c26 = connectedComponents([nz, ny, nx], inMask, 26);
    expect(c26.count).toBe(2);
    expect(c26.sizes).toEqual([0, 3, 60]); // ids in raster order of first appearance
    expect(c26.ids[idx(1, 1, 1)]).toBe(c26.ids[idx(2, 3, 3)]);
    expect(c26.sums[1]).toEqual([1 + 1 + 2, 1 + 2 + 3, 1 + 2 + 3]);
  });

  it('4 = in-plane: the same column on two slices stays two components', () => {
    const m = new Uint8Array(2 * 3 * 3);
    m[4] = 1;
    m[9 + 4] = 1;
    expect(connectedComponents([2, 3, 3], (i) => m[i] === 1, 4).count).toBe(2);
    expect(connectedComponents([2, 3, 3], (i) => m[i] === 1, 6).count).toBe(1);
  });

  it('a U shape merges two provisional labels into one', () => {
    const m = [1, 0, 1, 1, 0, 1, 1, 1, 1]; // one 3×3 slice: columns 0 and 2 joined by the bottom row
    const cc = connectedComponents([1, 3, 3], (i) => m[i] === 1, 6);
    expect(cc.count).toBe(1);
    expect(cc.sizes).toEqual([0, 7]);
  });
});
