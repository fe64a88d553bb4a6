import { describe, expect, it } from 'vitest';
import { voxelToPatientMm, sameGrid, IDENTITY_DIRECTION } from './volume.js';

describe('volume geometry', () => {
  it('maps voxel (z,y,x) to LPS mm through origin, spacing and direction', () => {
    const g = { shape: [4, 5, 6] as [number, number, number], spacing: [2, 0.5, 0.25] as [number, number, number], origin: [10, 20, 30] as [number, number, number], direction: [...IDENTITY_DIRECTION] };
    expect(voxelToPatientMm(g, 1, 2, 4)).toEqual([11, 21, 32]);
    const flipped = { ...g, direction: [-1, 0, 0, 0, -1, 0, 0, 0, 1] };
    expect(voxelToPatientMm(flipped, 1, 2, 4)).toEqual([9, 19, 32]);
    expect(sameGrid(g, flipped)).toBe(false);
    expect(sameGrid(g, { ...g })).toBe(true);
  });
});
