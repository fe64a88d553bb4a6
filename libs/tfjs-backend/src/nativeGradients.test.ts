import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNativeCpu } from '@covseg/native-cpu';
import { installNativeCpuKernels } from './installNativeCpu.js';
import { relErr, stockAndOurs } from './testUtil.js';
import { tinyBatch, tinyLoss, tinyUnet } from './tinyNet.js';

const load = loadNativeCpu();

describe.skipIf(!load.ok)('native-cpu route on a tiny conv+BN U-Net', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  // 1e-5 as every kernel test: the fused batch norm sums in float64 where tfjs rounds each of its ~15 ops to float32.
  it('loss and every weight gradient equal the stock cpu backend within 1e-5', () => {
    const model = tinyUnet();
    const { x, y } = tinyBatch();
    const { stock, ours } = stockAndOurs(() => load.ok && installNativeCpuKernels(load.addon), () => {
      const { value, grads } = tf.variableGrads(() => tinyLoss(model, x, y));
      return [value, ...Object.values(grads)];
    });
    expect(stock.length).toBeGreaterThan(10);
    for (let i = 0; i < stock.length; i++) expect(relErr(ours[i], stock[i]), `tensor ${i}`).toBeLessThan(1e-5);
  });
});
