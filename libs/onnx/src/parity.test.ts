import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReferenceUnet, type ReferenceUnetOptions } from './testing/referenceUnet.js';
import { exportAndCompare, syntheticBatch, unetTestConfig } from './testing/harness.js';
import { LAYER_MAPPERS } from './mappers/registry.js';
import { buildUnet, type UnetConfig } from '@covseg/unet';

/** Float32 round-off over a tiny U-Net is ~1e-7; the verify limit is 1e-4. */
const TIGHT = 1e-5;
const SIZE = 64;

const VARIANTS: [string, Partial<ReferenceUnetOptions>][] = [
  ['Conv2DTranspose k2 + BatchNorm + Dropout, depth 2', {}],
  ['Conv2DTranspose k3 (asymmetric same pads), depth 3', { depth: 3, transposeKernel: 3 }],
  ['UpSampling2D nearest + Activation softmax', { upsampling: 'upsample', softmaxLayer: false }],
  ['UpSampling2D bilinear, depth 3', { upsampling: 'bilinear', depth: 3 }],
  ['no BatchNorm, ReLU fused into Conv2D', { batchNorm: false, fusedRelu: true, dropout: 0 }],
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('parity tfjs vs ONNX Runtime, randomly initialised', () => {
  for (const [label, opts] of VARIANTS) {
    for (const fold of [true, false]) {
      it(`${label}, BatchNorm ${fold ? 'folded' : 'as node'}, batch 1 and 3`, async () => {
        const model = buildReferenceUnet({ ...opts, inputSize: SIZE });
        for (const n of [1, 3]) {
          const s = await exportAndCompare(model, n, SIZE, { foldBatchNorm: fold });
          expect(s.maxAbsDiff).toBeLessThan(TIGHT);
          expect(s.argmaxAgreement).toBeGreaterThanOrEqual(0.999);
          expect(s.pixels).toBe(n * SIZE * SIZE);
        }
      });
    }
  }

  it('runs at other sizes than the trained one (dynamic H, W: multiples of 2^depth)', async () => {
    const model = buildReferenceUnet({ inputSize: null, depth: 2 });
    for (const size of [32, 96]) expect((await exportAndCompare(model, 2, size)).maxAbsDiff).toBeLessThan(TIGHT);
  });

  it('maps ReLU (with and without max), LeakyReLU, Add, Dropout', async () => {
    const input = tf.input({ shape: [SIZE, SIZE, 1] });
    const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.heNormal({ seed: 3 }) }).apply(input) as tf.SymbolicTensor;
    const r1 = tf.layers.reLU().apply(a) as tf.SymbolicTensor;
    const r2 = tf.layers.reLU({ maxValue: 0.3 }).apply(a) as tf.SymbolicTensor;
    const r3 = tf.layers.leakyReLU({ alpha: 0.2 }).apply(a) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([r1, r2, r3]) as tf.SymbolicTensor;
    const d = tf.layers.dropout({ rate: 0.5 }).apply(sum) as tf.SymbolicTensor;
    const logits = tf.layers.conv2d({ filters: 5, kernelSize: 1, kernelInitializer: tf.initializers.heNormal({ seed: 4 }) }).apply(d) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.softmax({ axis: -1 }).apply(logits) as tf.SymbolicTensor });
    expect((await exportAndCompare(model, 2, SIZE)).maxAbsDiff).toBeLessThan(TIGHT);
  });

  it('the fixtures cover every U-Net layer type the mapper table lists', () => {
    const used = new Set(VARIANTS.flatMap(([, o]) => buildReferenceUnet({ ...o, inputSize: SIZE }).layers.map((l) => l.getClassName())));
    for (const c of ['Conv2D', 'Conv2DTranspose', 'BatchNormalization', 'Activation', 'MaxPooling2D', 'UpSampling2D', 'Concatenate', 'Dropout', 'Softmax']) {
      expect(used.has(c), c).toBe(true);
      expect(LAYER_MAPPERS[c], c).toBeDefined();
    }
  });
});

describe('parity on libs/unet buildUnet (the trained architecture)', () => {
  const base: UnetConfig = unetTestConfig({ inputSize: SIZE, depth: 3, baseFilters: 4, batchNorm: true, dropout: 0.2, seed: 3 });
  for (const upsampling of ['transpose', 'upsample'] as const) {
    it(`depth 3, ${upsampling}, batch 1 and 3`, async () => {
      const model = buildUnet({ ...base, upsampling });
      for (const n of [1, 3]) {
        const s = await exportAndCompare(model, n, SIZE);
        expect(s.maxAbsDiff).toBeLessThan(TIGHT);
        expect(s.argmaxAgreement).toBeGreaterThanOrEqual(0.999);
      }
    });
  }
});

describe('parity tfjs vs ONNX Runtime, briefly trained', () => {
  it('a depth-2 U-Net after a few Adam steps (moving BatchNorm statistics updated)', async () => {
    const model = buildReferenceUnet({ depth: 2, inputSize: SIZE });
    const bnBefore = model.layers.find((l) => l.getClassName() === 'BatchNormalization')!.getWeights()[2].dataSync().slice();
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const n = 4;
    const x = tf.tensor4d(syntheticBatch(n, SIZE, 100), [n, SIZE, SIZE, 1]);
    // labels from intensity bands: a learnable target that moves the weights in a consistent direction
    const y = tf.tidy(() => tf.oneHot(tf.cast(tf.minimum(tf.floor(tf.mul(x, 5)), 4).reshape([n, SIZE, SIZE]), 'int32'), 5));
    const h = await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, shuffle: false });
    const losses = h.history.loss as number[];
    expect(losses[1]).toBeLessThan(losses[0]);
    const bnAfter = model.layers.find((l) => l.getClassName() === 'BatchNormalization')!.getWeights()[2].dataSync();
    expect(Math.max(...bnAfter.map((v, i) => Math.abs(v - bnBefore[i])))).toBeGreaterThan(1e-4);
    for (const fold of [true, false]) {
      for (const m of [1, 3]) {
        const s = await exportAndCompare(model, m, SIZE, { foldBatchNorm: fold });
        expect(s.maxAbsDiff).toBeLessThan(TIGHT);
        expect(s.argmaxAgreement).toBeGreaterThanOrEqual(0.999);
      }
    }
  });
});
