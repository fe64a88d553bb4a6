import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNativeCpu } from '@covseg/native-cpu';
import { registerNativeConvKernels } from './nativeConvKernels.js';
import { relErr, seeded, stockAndOurs } from './testUtil.js';

const load = loadNativeCpu();
const install = () => load.ok && registerNativeConvKernels(load.addon);

// The shapes the U-Net uses: 3×3 'same' convs (1 → 8 and 8 → 8 channels), a 1×1 logits conv,
// a 2×2 stride-2 transposed conv; plus 'valid' padding, stride 2 and dilation 2 for coverage.
const cases: { name: string; x: number[]; w: number[]; strides: number; pad: 'same' | 'valid'; dil: number }[] = [
  { name: '3x3 same 1→8', x: [2, 16, 16, 1], w: [3, 3, 1, 8], strides: 1, pad: 'same', dil: 1 },
  { name: '3x3 same 8→16', x: [2, 20, 18, 8], w: [3, 3, 8, 16], strides: 1, pad: 'same', dil: 1 },
  { name: '1x1 16→5', x: [2, 16, 16, 16], w: [1, 1, 16, 5], strides: 1, pad: 'same', dil: 1 },
  { name: '3x3 valid stride 2', x: [1, 17, 15, 3], w: [3, 3, 3, 7], strides: 2, pad: 'valid', dil: 1 },
  { name: '3x3 same dilation 2', x: [1, 16, 16, 4], w: [3, 3, 4, 6], strides: 1, pad: 'same', dil: 2 },
];

describe.skipIf(!load.ok)('native conv kernels vs the stock cpu kernels', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const c of cases) {
    it(`Conv2D, FusedConv2D (+bias, relu) and both gradients: ${c.name}`, () => {
      const { stock, ours } = stockAndOurs(install, () => {
        const x = seeded(c.x, 1), w = seeded(c.w, 2), b = seeded([c.w[3]], 3);
        const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dil);
        const fused = tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: c.strides, pad: c.pad, dilations: c.dil, bias: b, activation: 'relu' });
        const dy = seeded(y.shape, 4);
        const grads = c.dil === 1 ? tf.grads((xx, ww) => tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.strides, c.pad).mul(dy))([x, w]) : [];
        return [y, fused, ...grads];
      });
      for (let i = 0; i < stock.length; i++) expect(relErr(ours[i], stock[i]), `output ${i}`).toBeLessThan(1e-5);
    });
  }

  it('Conv2DTranspose 2×2 stride 2 (the up-sampling layer) and its gradients', () => {
    const { stock, ours } = stockAndOurs(install, () => {
      const x = seeded([2, 8, 8, 8], 5), w = seeded([2, 2, 4, 8], 6);
      const y = tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 16, 16, 4], 2, 'same');
      const dy = seeded(y.shape, 7);
      const grads = tf.grads((xx, ww) => tf.conv2dTranspose(xx as tf.Tensor4D, ww as tf.Tensor4D, [2, 16, 16, 4], 2, 'same').mul(dy))([x, w]);
      return [y, ...grads];
    });
    for (let i = 0; i < stock.length; i++) expect(relErr(ours[i], stock[i]), `output ${i}`).toBeLessThan(1e-5);
  });
});
