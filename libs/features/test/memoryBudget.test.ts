import { describe, expect, it } from 'vitest';
import { defaultConfigSection, IDENTITY_DIRECTION, InputError, type Volume } from '@covseg/io';
import { computeFeatures, featuresConfigSchema, featuresMemoryBytes } from '../src/index.js';

const cfg = featuresConfigSchema.parse(defaultConfigSection('features'));

describe('features memory budget', () => {
  it('counts the held volume, the rows and the blocks in flight', () => {
    // 1024×1024×1200 with every voxel a row, 8 channels, 2 blocks of 48 + 2×13 halo slices in flight
    const big = featuresMemoryBytes({ voxels: 1200 * 1024 * 1024, plane: 1024 * 1024, rows: 1200 * 1024 * 1024, channels: 8, slabSlices: 74, concurrentBlocks: 2 });
    expect(big).toBe(1200 * 2 ** 20 * (3 + 36) + 2 * 74 * 2 ** 20 * 64);
    expect(Math.ceil(big / 2 ** 20)).toBe(56272); // MB
  });

  it('refuses up front, naming the MB it needs, a stack over the budget; computes it within the budget', async () => {
    const shape: [number, number, number] = [8, 64, 64];
    const data = new Int16Array(8 * 64 * 64).map((_, i) => ((i * 7919) % 1400) - 1000);
    const vol: Volume = { data, shape, spacing: [1, 1, 1], origin: [0, 0, 0], direction: [...IDENTITY_DIRECTION] };
    const lung = new Uint8Array(data.length).fill(1);
    // 32768 voxels × 3 B held + 32768 rows × 4 × (1 + 8) + 1 slab of 8 slices × 4096 × 64 B = 3,375,104 B → 4 MB
    const refused = await computeFeatures(vol, lung, { ...cfg, memoryBudgetMb: 3 }, { region: 'all' }).catch((e) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect(refused.message).toMatch(/^features of this 8×64×64 volume need about 4 MB \(32768 voxels × 8 channels \+ z-blocks of 8 slices\), over the memory budget of 3 MB \(features\.memoryBudgetMb\)/);
    const set = await computeFeatures(vol, lung, { ...cfg, memoryBudgetMb: 4 }, { region: 'all' });
    expect(set.indices.length).toBe(32768);
  });
});
