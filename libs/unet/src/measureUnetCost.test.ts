import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { measureUnetCost, randomBatch } from './measureUnetCost.js';
import { tinySections } from './testing/syntheticSlices.js';

describe('measureUnetCost', () => {
  it('times the real training step and inference, and leaves no tensor behind', async () => {
    const sections = tinySections({ unet: { inputSize: 16, baseFilters: 4 }, train: { batchSize: 2 } });
    const before = tf.memory().numTensors;
    const c = await measureUnetCost(sections, 2, 3);
    expect(tf.memory().numTensors).toBe(before);
    expect(c.steps).toBe(2);
    for (const v of [c.trainStepMs, c.inferSliceMs]) expect(Number.isFinite(v) && v > 0).toBe(true);
  });

  it('draws seeded labels of every class, inputs in [0, 1)', () => {
    const b = randomBatch(2, 8, 's');
    expect(Array.from(randomBatch(2, 8, 's').x)).toEqual(Array.from(b.x));
    expect(new Set(b.y)).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(Math.min(...b.x) >= 0 && Math.max(...b.x) < 1).toBe(true);
    expect(b.corrected).toEqual([false, false]);
  });
});
