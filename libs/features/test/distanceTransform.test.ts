import { describe, expect, it } from 'vitest';
import { createRng } from '@covseg/io';
import { openByDisk, squaredDistanceToBackground, type Axis } from '../src/index.js';

/** Brute force: min over background voxels reachable in the plane of `axes` of the squared mm distance. */
function bruteForce(mask: Uint8Array, shape: [number, number, number], spacing: [number, number, number], axes: Axis[]): Float64Array {
  const [nz, ny, nx] = shape;
  const out = new Float64Array(mask.length).fill(Infinity);
  const fixed = [0, 1, 2].filter((a) => !axes.includes(a as Axis));
  for (let i = 0; i < mask.length; i++) {
    const p = [Math.floor(i / (ny * nx)), Math.floor(i / nx) % ny, i % nx];
    for (let j = 0; j < mask.length; j++) {
      if (mask[j]) continue;
      const q = [Math.floor(j / (ny * nx)), Math.floor(j / nx) % ny, j % nx];
      if (fixed.some((a) => p[a] !== q[a])) continue;
      const d = ((p[0] - q[0]) * spacing[0]) ** 2 + ((p[1] - q[1]) * spacing[1]) ** 2 + ((p[2] - q[2]) * spacing[2]) ** 2;
      if (d < out[i]) out[i] = d;
    }
  }
  return out;
}

describe('squaredDistanceToBackground (exact Euclidean, anisotropic)', () => {
  const shape: [number, number, number] = [5, 9, 11];
  const spacing: [number, number, number] = [2.5, 0.7, 0.9];
  const rng = createRng('edt');
  const mask = new Uint8Array(shape[0] * shape[1] * shape[2]).map(() => (rng.next() < 0.85 ? 1 : 0));
  it.each([[[0, 1, 2]], [[1, 2]], [[0, 2]], [[0]], [[2]]] as Axis[][][])('equals brute force along axes %j', (axes) => {
    const got = squaredDistanceToBackground(mask, shape, spacing, axes);
    const want = bruteForce(mask, shape, spacing, axes);
    for (let i = 0; i < mask.length; i++) {
      if (want[i] === Infinity) expect(got[i]).toBe(Infinity);
      else expect(got[i]).toBeCloseTo(want[i], 9);
    }
  });
  it('no background: Infinity everywhere', () => {
    expect(Array.from(squaredDistanceToBackground(new Uint8Array(8).fill(1), [2, 2, 2], [1, 1, 1])).every((v) => v === Infinity)).toBe(true);
  });
});

describe('openByDisk', () => {
  // 1 slice of 60×60 at 0.5 mm: a disk of radius 6 mm and a strip 5 mm wide (a vessel in-plane)
  const [ny, nx] = [60, 60];
  const mask = new Uint8Array(ny * nx);
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      if ((y - 15) ** 2 + (x - 15) ** 2 <= 12 ** 2) mask[x + nx * y] = 1;
      if (y >= 40 && y < 50 && x >= 2 && x < 58) mask[x + nx * y] = 1;
    }
  const count = (m: Uint8Array, rows: (y: number) => boolean) => m.reduce((s, v, i) => s + (rows(Math.floor(i / nx)) ? v : 0), 0);
  it('keeps a blob wider than the disk (all but a few boundary pixels of the digital circle) and removes a tube thinner than it', () => {
    const out = openByDisk(mask, [1, ny, nx], [1, 0.5, 0.5], 4, [1, 2]);
    expect(count(out, (y) => y >= 30)).toBe(0);
    expect(count(out, (y) => y < 30)).toBeGreaterThan(0.95 * count(mask, (y) => y < 30));
    for (const [y, x] of [[15, 15], [15, 4], [26, 15], [4, 15]]) expect(out[x + nx * y]).toBe(1);
  });
  it('a disk smaller than the strip keeps it but for its corners; the result is inside the mask', () => {
    const out = openByDisk(mask, [1, ny, nx], [1, 0.5, 0.5], 2, [1, 2]);
    for (let i = 0; i < mask.length; i++) expect(out[i] <= mask[i]).toBe(true);
    // a 2 mm (4 px) disk cannot reach a rectangle's corner, but covers every pixel 4 px from the ends
    for (let y = 40; y < 50; y++) for (let x = 6; x < 54; x++) expect(out[x + nx * y]).toBe(1);
    expect(out[2 + nx * 40]).toBe(0);
  });
});
