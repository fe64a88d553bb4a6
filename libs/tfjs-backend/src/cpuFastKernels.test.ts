import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNativeCpu } from '@covseg/native-cpu';
import { registerCpuFastKernels } from './cpuFastKernels.js';
import { broadcastPlan } from './broadcast.js';
import { relErr, seeded, stockAndOurs } from './testUtil.js';

// Shapes as in a U-Net step: activations [2,16,16,8], per-channel vectors [8] / [1,1,1,8],
// scalars, the loss's [2,16,16,5] maps.
const X = [2, 16, 16, 8];
const load = loadNativeCpu();
// Both variants: plain JS loops, and the addon's threaded loops (when it is built).
const variants: [string, () => void][] = [['plain JS', () => registerCpuFastKernels()]];
if (load.ok) variants.push(['addon loops', () => registerCpuFastKernels(load.addon)]);

for (const [variant, install] of variants)
describe(`cpu fast kernels (${variant}) vs the stock cpu kernels`, () => {
const check = (fn: () => tf.Tensor | tf.Tensor[]) => {
  const { stock, ours } = stockAndOurs(install, fn);
  expect(ours.length).toBe(stock.length);
  for (let i = 0; i < stock.length; i++) expect(relErr(ours[i], stock[i]), `output ${i}`).toBeLessThan(1e-5);
};

  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('broadcast plan merges dims and zeroes broadcast strides', () => {
    expect(broadcastPlan([2, 16, 16, 8], [8])).toEqual({ shape: [512, 8], sa: [8, 1], sb: [0, 1] });
    expect(broadcastPlan([2, 3], [])).toEqual({ shape: [6], sa: [1], sb: [0] });
    expect(broadcastPlan([2, 3], [4, 3])).toBeUndefined();
  });

  for (const [name, op] of [['Multiply', tf.mul], ['Add', tf.add], ['Sub', tf.sub], ['RealDiv', tf.div]] as const) {
    it(`${name}: same shape, per-channel, scalar, both-sided and middle broadcasts`, () =>
      check(() => {
        const a = seeded(X, 1), b = seeded(X, 2).add(op === tf.div ? 3 : 0);
        return [op(a, b), op(a, seeded([8], 3).add(3)), op(seeded([1, 1, 1, 8], 4).add(3), a), op(a, tf.scalar(1.7)), op(tf.scalar(2.5), b),
          op(seeded([2, 1, 16, 1], 5), seeded([1, 16, 1, 8], 6).add(3)), op(seeded([2, 16, 16, 1], 7), b)];
      }));
  }

  it('Sum and Mean over the batch-norm axes, the last axis, all axes, keepDims', () =>
    check(() => {
      const x = seeded(X, 8);
      return [tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2], true), tf.sum(x, -1), tf.mean(x), tf.sum(x, [1, 2], true), tf.sum(x, [0, 2])];
    }));

  it('Tile, SplitV (the concatenate gradient), MaxPool and its gradient, Concat, Sqrt, Relu, Step, Softmax, FusedBatchNorm', () =>
    check(() => {
      const x = seeded(X, 9);
      const pool = tf.grad((v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid').mul(seeded([2, 8, 8, 8], 10)))(x);
      const poolOdd = tf.grad((v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid').sum())(seeded([1, 7, 9, 3], 11));
      const bn = tf.batchNorm(x, seeded([8], 12), seeded([8], 13).abs(), seeded([8], 14), seeded([8], 15), 1e-3);
      return [tf.tile(seeded([1, 1, 1, 8], 16), [2, 16, 16, 1]), tf.tile(seeded([3, 2], 17), [2, 3]), ...tf.split(x, [3, 5], -1), ...tf.split(x, 2, 1),
        pool, poolOdd, tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'), tf.maxPool(seeded([1, 7, 9, 3], 19) as tf.Tensor4D, 2, 2, 'valid'),
        tf.concat([x, seeded([2, 16, 16, 4], 20)], -1), tf.concat([x, x, x], 1), tf.sqrt(x.abs()), tf.relu(x), tf.step(x), tf.softmax(seeded([2, 16, 16, 5], 18).mul(4)), bn];
    }));

  it('non-float inputs go to the stock kernels', () =>
    check(() => [tf.add(tf.tensor([1, 2, 3], [3], 'int32'), tf.tensor([4], [1], 'int32')).toFloat(), tf.sum(tf.ones([4, 3], 'int32'), 0).toFloat()]));

  it('large tensors (threaded in the addon): broadcast, reductions, relu, batch norm, concat/split, max pool and its gradient', () =>
    check(() => {
      const x = seeded([8, 64, 64, 16], 30), c = seeded([16], 31).add(2);
      const pool = tf.grad((v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid').mul(seeded([8, 32, 32, 16], 32)))(x);
      return [tf.mul(x, c), tf.sub(x, x.mul(0.5)), tf.sum(x, [0, 1, 2]), tf.mean(x, -1), tf.relu(x), tf.batchNorm(x, c, c, c, c, 1e-3),
        tf.concat([x, seeded([8, 64, 64, 8], 33)], -1), ...tf.split(x, [6, 10], -1), tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'), pool];
    }));
});
