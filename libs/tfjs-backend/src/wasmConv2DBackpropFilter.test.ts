import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { addKernel } from './kernelRegistry.js';
import { composedConv2DBackpropFilterConfig } from './wasmConv2DBackpropFilter.js';
import { relErr, seeded } from './testUtil.js';

/** Filter gradients of the U-Net's conv kinds on the current backend. */
function filterGrads(): Float32Array[] {
  const cases: [number[], number[], number, 'same' | 'valid'][] = [
    [[2, 16, 16, 1], [3, 3, 1, 8], 1, 'same'],
    [[2, 16, 16, 8], [3, 3, 8, 16], 1, 'same'],
    [[2, 16, 16, 16], [1, 1, 16, 5], 1, 'valid'],
    [[1, 17, 15, 3], [3, 3, 3, 4], 2, 'valid'],
  ];
  const conv = cases.map(([xs, ws, s, pad], i) => tf.tidy(() => {
    const x = seeded(xs, 10 + i) as tf.Tensor4D, w = seeded(ws, 20 + i) as tf.Tensor4D;
    const dy = seeded(tf.conv2d(x, w, s, pad).shape, 30 + i);
    return tf.grad((ww: tf.Tensor) => tf.conv2d(x, ww as tf.Tensor4D, s, pad).mul(dy))(w).dataSync() as Float32Array;
  }));
  const transposed = tf.tidy(() => {
    const x = seeded([2, 8, 8, 8], 40) as tf.Tensor4D, w = seeded([2, 2, 4, 8], 41) as tf.Tensor4D, dy = seeded([2, 16, 16, 4], 42);
    return tf.grad((ww: tf.Tensor) => tf.conv2dTranspose(x, ww as tf.Tensor4D, [2, 16, 16, 4], 2, 'same').mul(dy))(w).dataSync() as Float32Array;
  });
  return [...conv, transposed];
}

describe('composed Conv2DBackpropFilter for wasm', () => {
  it('matches the cpu kernel on the U-Net conv shapes', async () => {
    await tf.setBackend('cpu');
    const ref = filterGrads();
    await tf.setBackend('wasm');
    expect(addKernel(composedConv2DBackpropFilterConfig('wasm'))).toBe(true);
    const got = filterGrads();
    for (let i = 0; i < ref.length; i++) expect(relErr(got[i], ref[i]), `case ${i}`).toBeLessThan(1e-5);
  });
});
