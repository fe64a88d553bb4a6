import * as tf from '@tensorflow/tfjs';
import { createRng } from '@covseg/io';
import { Adam } from './adam.js';
import type { TrainingSections } from './config.js';
import type { Batch } from './dataset.js';
import { buildUnet, CLASS_COUNT, dropoutLayers } from './model.js';
import { trainStep } from './trainUnet.js';

export interface UnetCost {
  /** Median wall time of one training step (forward, loss, backward, Adam) at train.batchSize, ms. */
  trainStepMs: number;
  /** Median wall time of inference per slice, in batches of `inferBatch`, ms. */
  inferSliceMs: number;
  /** Steps timed (after one untimed warm-up step). */
  steps: number;
}

/** A batch of random CT-like inputs and labels at the configured size (the cost does not depend on the values). */
export function randomBatch(count: number, size: number, seed: string): Batch {
  const rng = createRng(seed);
  const x = new Float32Array(count * size * size);
  const y = new Uint8Array(count * size * size);
  for (let i = 0; i < x.length; i++) {
    x[i] = rng.next();
    y[i] = Math.floor(rng.next() * CLASS_COUNT);
  }
  return { x, y, size, count, keys: Array.from({ length: count }, (_, i) => `random-${i}`), corrected: new Array<boolean>(count).fill(false) };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/**
 * Times the configured U-Net on the active tfjs backend with the real training step (the one
 * trainUnet runs) and the real inference call, on random data: what one step and one slice cost here.
 */
export async function measureUnetCost(sections: TrainingSections, steps: number, inferBatch: number): Promise<UnetCost> {
  const model = buildUnet(sections.unet);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const adam = new Adam(sections.train.learningRate, sections.train.adam, vars);
  const dropouts = dropoutLayers(model);
  const size = sections.unet.inputSize;
  const batch = randomBatch(sections.train.batchSize, size, 'measure-unet-cost');
  const input = tf.tensor4d(randomBatch(inferBatch, size, 'measure-unet-cost-infer').x, [inferBatch, size, size, 1]);
  try {
    const stepMs: number[] = [];
    const inferMs: number[] = [];
    for (let s = 0; s <= steps; s++) {
      let t = performance.now();
      await trainStep(model, adam, vars, batch, sections.train.loss, dropouts, s);
      if (s > 0) stepMs.push(performance.now() - t); // step 0 warms up (kernels, buffers)
      t = performance.now();
      const p = model.predict(input) as tf.Tensor;
      await p.data();
      p.dispose();
      if (s > 0) inferMs.push((performance.now() - t) / inferBatch);
    }
    return { trainStepMs: median(stepMs), inferSliceMs: median(inferMs), steps };
  } finally {
    input.dispose();
    adam.dispose();
    model.dispose();
  }
}
