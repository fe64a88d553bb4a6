import { describe, expect, it } from 'vitest';
import { maskedMedianHu, rimLevel, separateByShape, type ShapeConfig } from './separateByShape.js';

const cfg: ShapeConfig = { maxVesselRadiusMm: 4, planes: 'orthogonal', denseHu: 40, partialVolumeFraction: 0.5, backgroundSigmaMm: 0, partialVolumeVoxels: 2 };
const LUNG = -850;

/**
 * A 3D scene at 1 mm: lung (-850) holding a dense ball of radius 7 mm and a dense tube of radius 2 mm
 * (both +40, both put in the vessel cluster, as K-means does when it has one dense cluster), each with a
 * one-voxel rim at -300 (above the half maximum -405) that K-means called GGO, and a lone GGO voxel at
 * -300 far from anything dense.
 */
function scene() {
  const shape: [number, number, number] = [24, 40, 48];
  const [nz, ny, nx] = shape;
  const n = nz * ny * nx;
  const hu = new Int16Array(n).fill(LUNG);
  const labels = new Uint8Array(n).fill(1);
  const truth = new Uint8Array(n).fill(1);
  const at = (z: number, y: number, x: number) => x + nx * (y + ny * z);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const ball = Math.hypot(z - 12, y - 12, x - 12);
        const tube = Math.hypot(z - 12, y - 28);
        const i = at(z, y, x);
        if (ball <= 7 || (tube <= 2 && x > 4 && x < 44)) {
          hu[i] = 40;
          labels[i] = 4;
          truth[i] = ball <= 7 ? 3 : 4;
        } else if (ball <= 8 || (tube <= 3 && x > 4 && x < 44)) {
          hu[i] = -300;
          labels[i] = 2;
          truth[i] = ball <= 8 ? 3 : 4;
        }
      }
  hu[at(3, 36, 40)] = -300;
  labels[at(3, 36, 40)] = 2;
  return { shape, hu, labels, truth, at, lung: new Uint8Array(n).fill(1) };
}

describe('separateByShape', () => {
  it('a dense ball becomes consolidation, a tube thinner than the disk stays a vessel, both with their above-level rims', () => {
    const s = scene();
    const stats = separateByShape(s.labels, s.hu, s.lung, s.shape, [1, 1, 1], cfg);
    expect(stats.lungHu).toBe(LUNG);
    expect(stats.denseMinHu).toBe(-405);
    let wrong = 0, ball = 0;
    for (let i = 0; i < s.labels.length; i++) {
      if (s.truth[i] === 3) ball++;
      if (s.labels[i] !== s.truth[i]) wrong++;
    }
    // all but the lone GGO voxel and a few voxels of the ball's digital boundary that no 4 mm disk reaches
    expect(wrong).toBeLessThan(0.03 * ball);
    expect(s.labels[s.at(12, 12, 12)]).toBe(3);
    expect(s.labels[s.at(12, 28, 30)]).toBe(4);
    expect(s.labels[s.at(12, 31, 30)]).toBe(4); // rim (-300 ≥ -405) beside the tube joined it
    expect(s.labels[s.at(3, 36, 40)]).toBe(2); // ground glass with no dense neighbour stays
    expect(stats.grown).toBeGreaterThan(0);
  });

  it('a dense-cluster voxel below the half maximum is partial volume: it becomes GGO', () => {
    const s = scene();
    s.hu[s.at(3, 5, 40)] = -500;
    s.labels[s.at(3, 5, 40)] = 3;
    const stats = separateByShape(s.labels, s.hu, s.lung, s.shape, [1, 1, 1], cfg);
    expect(s.labels[s.at(3, 5, 40)]).toBe(2);
    expect(stats.belowLevel).toBe(1);
  });

  it('with a larger disk the ball is a vessel too; radius 0 changes nothing', () => {
    const s = scene();
    separateByShape(s.labels, s.hu, s.lung, s.shape, [1, 1, 1], { ...cfg, maxVesselRadiusMm: 9 });
    expect(s.labels.includes(3)).toBe(false);
    const t = scene();
    const before = Uint8Array.from(t.labels);
    separateByShape(t.labels, t.hu, t.lung, t.shape, [1, 1, 1], { ...cfg, maxVesselRadiusMm: 0 });
    expect(t.labels).toEqual(before);
  });

  it('works in mm: at 0.5 mm in-plane the same voxels are a ball flattened to 4 mm, which holds no 5 mm disk in any plane', () => {
    const s = scene();
    const stats = separateByShape(s.labels, s.hu, s.lung, s.shape, [1, 0.5, 0.5], { ...cfg, maxVesselRadiusMm: 5 });
    expect(stats.consolidation).toBe(0);
  });

  it('on a single slice the disks are in-plane: a 14-pixel disc is consolidation, a 5-pixel line a vessel', () => {
    const [ny, nx] = [30, 40];
    const hu = new Int16Array(ny * nx).fill(LUNG);
    const labels = new Uint8Array(ny * nx).fill(1);
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        if (Math.hypot(y - 10, x - 10) <= 7 || (Math.abs(y - 24) <= 2 && x > 2 && x < 37)) (hu[y * nx + x] = 40), (labels[y * nx + x] = 3);
      }
    separateByShape(labels, hu, new Uint8Array(ny * nx).fill(1), [1, ny, nx], [5, 1, 1], cfg);
    expect(labels[10 * nx + 10]).toBe(3);
    expect(labels[24 * nx + 20]).toBe(4);
  });
});

describe('rimLevel', () => {
  it('is the global half maximum in aerated lung and higher inside ground glass', () => {
    const shape: [number, number, number] = [1, 20, 60];
    const hu = new Int16Array(20 * 60).fill(LUNG);
    for (let i = 0; i < hu.length; i++) if (i % 60 >= 40) hu[i] = -450; // ground glass on the right
    const level = rimLevel(hu, new Uint8Array(hu.length).fill(1), shape, [1, 1, 1], -405, { ...cfg, backgroundSigmaMm: 3 });
    expect(level[10 * 60 + 5]).toBeCloseTo(-405, 3);
    expect(level[10 * 60 + 55]).toBeCloseTo(-450 + 0.5 * (40 + 450), 3);
  });
  it('maskedMedianHu is the median over the mask', () => {
    expect(maskedMedianHu(Int16Array.from([-900, -850, -800, 40, 500]), Uint8Array.from([1, 1, 1, 0, 1]))).toBe(-850);
  });
});
