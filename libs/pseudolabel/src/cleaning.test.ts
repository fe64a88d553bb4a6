import { describe, expect, it } from 'vitest';
import { cleanConsolidation, type CleaningConfig } from './cleanConsolidation.js';
import { openGroundGlass } from './cleanGgo.js';
import { reassignThickVessels } from './cleanVessels.js';
import { composeLabelVolume } from './composeLabels.js';
import { dilate, erode, open } from './morphology.js';
import { structuringElement } from './structuringElement.js';

const shape: [number, number, number] = [12, 20, 20];
const idx = (z: number, y: number, x: number) => x + 20 * (y + 20 * z);
/** Fills a box [z0,z1)×[y0,y1)×[x0,x1) with a value. */
function box(a: Uint8Array, v: number, [z0, z1]: number[], [y0, y1]: number[], [x0, x1]: number[]) {
  for (let z = z0; z < z1; z++) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) a[idx(z, y, x)] = v;
}
const count = (a: Uint8Array, v = 1) => a.reduce((s, x) => s + (x === v ? 1 : 0), 0);

describe('structuringElement', () => {
  it.each([
    [6, 1, 7], [18, 1, 19], [26, 1, 27], [6, 2, 25], [18, 2, 93], [26, 2, 125],
  ] as const)('connectivity %i radius %i has %i voxels (scipy iterate_structure)', (c, r, n) => {
    expect(structuringElement(c, r)).toHaveLength(n);
  });
});

describe('morphology', () => {
  it('erodes a 5³ cube to 3³ (6-connectivity, radius 1) and dilation restores it with a cube element', () => {
    const m = new Uint8Array(12 * 20 * 20);
    box(m, 1, [2, 7], [2, 7], [2, 7]);
    const e = erode(m, shape, structuringElement(6, 1));
    expect(count(e)).toBe(27);
    expect(e[idx(3, 3, 3)]).toBe(1);
    expect(count(dilate(e, shape, structuringElement(26, 1)))).toBe(125);
    expect(count(dilate(e, shape, structuringElement(6, 1)))).toBe(27 + 6 * 9); // the cross adds one face layer, no edges/corners
  });
  it('treats the volume border as background when eroding', () => {
    const m = new Uint8Array(12 * 20 * 20).fill(1);
    expect(count(erode(m, shape, structuringElement(6, 1)))).toBe(10 * 18 * 18);
  });
  it('opening removes a 1-voxel-thick plate; a 3³ cube keeps the cross of its centre', () => {
    const m = new Uint8Array(12 * 20 * 20);
    box(m, 1, [5, 6], [0, 20], [0, 20]);
    box(m, 1, [0, 3], [0, 3], [0, 3]);
    const o = open(m, shape, structuringElement(6, 1));
    expect(count(o)).toBe(7);
  });
});


describe('cleanConsolidation', () => {
  const spacing: [number, number, number] = [2, 0.5, 0.5]; // 0.5 mm³ per voxel
  const cfg: CleaningConfig = { minConsolidationMm3: 10, reassignTo: 'ggo', componentConnectivity: 26, opening: { connectivity: 6, radius: 0 }, ggoOpening: { connectivity: 18, radius: 0 }, thickVesselOpening: { connectivity: 6, radius: 0 } };
  const make = () => {
    const l = new Uint8Array(12 * 20 * 20).fill(1);
    box(l, 3, [1, 2], [1, 2], [1, 20 - 1]); // 18 voxels = 9 mm³: a speck below the limit
    box(l, 3, [4, 5], [4, 8], [4, 9]); // 20 voxels = 10 mm³: exactly at the limit, kept
    box(l, 3, [7, 11], [10, 15], [10, 16]); // 120 voxels = 60 mm³
    l[idx(9, 2, 2)] = 3; // single voxel
    l[idx(9, 2, 4)] = 4; // a vessel voxel nearby stays a vessel
    return l;
  };

  it('reassigns components below the volume limit and leaves larger ones voxel for voxel', () => {
    const l = make();
    const r = cleanConsolidation(l, shape, spacing, cfg);
    expect(r.removedComponents).toBe(2);
    expect(r.removedVoxels).toBe(19);
    expect(r.keptComponents).toBe(2);
    expect(count(r.labels, 3)).toBe(140);
    expect(count(r.labels, 2)).toBe(19);
    for (let i = 0; i < l.length; i++) if (l[i] !== 3) expect(r.labels[i]).toBe(l[i]);
    expect(r.labels[idx(8, 12, 12)]).toBe(3);
    expect(r.labels[idx(4, 5, 5)]).toBe(3);
    expect(r.labels[idx(1, 1, 5)]).toBe(2);
    expect(l[idx(1, 1, 5)]).toBe(3); // input untouched
  });

  it('reassigns to lung when configured, and the opening removes thin parts first', () => {
    expect(count(cleanConsolidation(make(), shape, spacing, { ...cfg, reassignTo: 'lung' }).labels, 2)).toBe(0);
    const opened = cleanConsolidation(make(), shape, spacing, { ...cfg, minConsolidationMm3: 0, opening: { connectivity: 6, radius: 1 } });
    // Only the 4×5×6 box survives a radius-1 opening (the others are one voxel thick), minus its edges:
    // eroded to 2×3×4, dilated back by the cross → 24 + 2·(2·3 + 2·4 + 3·4) voxels.
    expect(count(opened.labels, 3)).toBe(76);
  });
});

describe('composeLabelVolume', () => {
  it('puts 0 outside the lung, 1 on lung, the class on candidates', () => {
    const lung = Uint8Array.from([0, 1, 1, 1, 0]);
    expect(Array.from(composeLabelVolume(lung, Uint32Array.from([1, 3]), Uint8Array.from([4, 2])))).toEqual([0, 4, 1, 2, 0]);
    expect(() => composeLabelVolume(lung, Uint32Array.from([9]), Uint8Array.from([2]))).toThrow(/outside the volume/);
  });
});

describe('openGroundGlass', () => {
  it('turns a one-voxel GGO shell into lung and keeps a solid GGO block (but its 8 corners)', () => {
    const shape: [number, number, number] = [12, 12, 24];
    const [nz, ny, nx] = shape;
    const l = new Uint8Array(nz * ny * nx).fill(1);
    const at = (z: number, y: number, x: number) => x + nx * (y + ny * z);
    // a 5×5×5 GGO block on the left
    for (let z = 3; z < 8; z++) for (let y = 3; y < 8; y++) for (let x = 2; x < 7; x++) l[at(z, y, x)] = 2;
    // a vessel (4) wrapped in a one-voxel GGO shell on the right, as partial volume makes it
    for (let z = 2; z < 10; z++) for (let y = 4; y < 7; y++) for (let x = 14; x < 17; x++) l[at(z, y, x)] = y === 5 && x === 15 ? 4 : 2;
    const cube = Array.from({ length: 125 }, (_, k) => [Math.floor(k / 25), Math.floor(k / 5) % 5, k % 5]);
    const isCorner = (c: number[]) => c.every((v) => v === 0 || v === 4);
    const removed = openGroundGlass(l, shape, { connectivity: 18, radius: 1 });
    // the 18-neighbourhood element has no corners, so the opened cube loses exactly its 8 corner voxels
    expect(cube.filter((c) => !isCorner(c)).every(([z, y, x]) => l[at(3 + z, 3 + y, 2 + x)] === 2)).toBe(true);
    expect(cube.filter(isCorner).every(([z, y, x]) => l[at(3 + z, 3 + y, 2 + x)] === 1)).toBe(true);
    expect(removed).toBe(8 * 8 + 8);
    let shell = 0;
    for (let z = 2; z < 10; z++) for (let y = 4; y < 7; y++) for (let x = 14; x < 17; x++) if (l[at(z, y, x)] === 2) shell++;
    expect(shell).toBe(0);
    expect(l[at(5, 5, 15)]).toBe(4);
  });
});

describe('cleaning on a single slice (2D mode)', () => {
  it('the GGO opening uses an in-plane element: a 5×5 GGO patch survives, a 1-pixel-wide line of GGO goes back to lung', () => {
    const [ny, nx] = [9, 12];
    const labels = new Uint8Array(ny * nx).fill(1);
    for (let y = 2; y < 7; y++) for (let x = 1; x < 6; x++) labels[y * nx + x] = 2;
    for (let y = 1; y < 8; y++) labels[y * nx + 9] = 2;
    const removed = openGroundGlass(labels, [1, ny, nx], { connectivity: 18, radius: 1 });
    expect(removed).toBe(7);
    expect(labels.filter((v) => v === 2).length).toBe(25);
  });
});

describe('reassignThickVessels', () => {
  it('a 1-pixel vessel line stays a vessel; a 5×5 vessel-labelled blob becomes consolidation (radius 1, in-plane)', () => {
    const [ny, nx] = [9, 12];
    const labels = new Uint8Array(ny * nx).fill(1);
    for (let y = 2; y < 7; y++) for (let x = 1; x < 6; x++) labels[y * nx + x] = 4;
    for (let y = 1; y < 8; y++) labels[y * nx + 9] = 4;
    expect(reassignThickVessels(labels, [1, ny, nx], { connectivity: 6, radius: 1 })).toBe(21); // the 5×5 square minus its 4 corners (cross element)
    expect(labels.filter((v) => v === 3).length).toBe(21);
    expect(labels.filter((v) => v === 4).length).toBe(4 + 7);
    expect(reassignThickVessels(labels, [1, ny, nx], { connectivity: 6, radius: 0 })).toBe(0);
  });
});
