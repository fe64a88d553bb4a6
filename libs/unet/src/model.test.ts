import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { registerJsConvFilterGrad } from '@covseg/tfjs-backend';
import { buildUnet, CLASS_COUNT } from './model.js';
import { correctedSampleWeights, segmentationLoss, oneHotLabels } from './loss.js';
import { argmaxLabels, Confusion } from './metrics.js';
import { stackedChartsSvg } from './svgChart.js';
import { Adam } from './adam.js';
import { tinySections } from './testing/syntheticSlices.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const EXPORTABLE = new Set(['InputLayer', 'Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D', 'Conv2DTranspose', 'UpSampling2D', 'Concatenate', 'Dropout', 'Softmax']);

describe('buildUnet', () => {
  it('maps [N,S,S,1] to a softmax over 5 classes with only exportable layers', () => {
    for (const upsampling of ['transpose', 'upsample'] as const) {
      const m = buildUnet({ ...tinySections().unet, inputSize: 16, upsampling });
      expect(m.outputs[0].shape).toEqual([null, 16, 16, CLASS_COUNT]);
      m.layers.forEach((l) => expect(EXPORTABLE.has(l.getClassName())).toBe(true));
      const p = tf.tidy(() => (m.predict(tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 3)) as tf.Tensor).sum(-1).dataSync());
      p.forEach((v) => expect(v).toBeCloseTo(1, 5));
      m.dispose();
    }
  });

  it('initialises identically under the same seed, differently under another', () => {
    const w = (seed: number) => {
      const m = buildUnet({ ...tinySections().unet, inputSize: 16, seed });
      const v = m.getWeights().map((t) => Array.from(t.dataSync()));
      m.dispose();
      return v;
    };
    expect(w(4)).toEqual(w(4));
    expect(w(4)[0]).not.toEqual(w(5)[0]);
  });
});

describe('loss and metrics', () => {
  const cfg = tinySections().train.loss;
  it('is ~0 for a perfect prediction and matches hand-computed CE + Dice otherwise', () => {
    const labels = Uint8Array.from([0, 1, 2, 3, 4, 4, 1, 0]);
    const y = oneHotLabels(labels, 2, 2, CLASS_COUNT);
    const perfect = segmentationLoss(y, y, { ...cfg, diceSmooth: 0 }).dataSync()[0];
    expect(perfect).toBeCloseTo(0, 5);
    // uniform prediction: CE = ln 5; soft Dice per class c = 2·n_c/5 / (n_c + 8/5)
    const uniform = tf.fill([2, 2, 2, CLASS_COUNT], 1 / CLASS_COUNT) as tf.Tensor4D;
    const counts = [2, 2, 1, 1, 2];
    const dice = counts.map((n) => ((2 * n) / 5 + 1) / (n + 8 / 5 + 1));
    const expected = Math.log(5) + 1 - dice.reduce((a, b) => a + b) / 5;
    expect(segmentationLoss(y, uniform, cfg).dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([y, uniform]);
  });

  it('a corrected slice of weight 2 counts as that slice twice in the batch (CE and Dice)', () => {
    const a = Uint8Array.from([0, 1, 2, 3]), b = Uint8Array.from([4, 4, 1, 0]);
    const probs = (n: number) => tf.softmax(tf.tensor4d(Array.from({ length: n * 4 * CLASS_COUNT }, (_, i) => Math.sin(i * 1.7)), [n, 2, 2, CLASS_COUNT])) as tf.Tensor4D;
    const p2 = probs(2);
    const p3 = tf.concat([p2.slice([0, 0, 0, 0], [1, 2, 2, CLASS_COUNT]), p2]) as tf.Tensor4D;
    const y2 = oneHotLabels(Uint8Array.from([...a, ...b]), 2, 2, CLASS_COUNT);
    const y3 = oneHotLabels(Uint8Array.from([...a, ...a, ...b]), 3, 2, CLASS_COUNT);
    const weights = correctedSampleWeights({ corrected: [true, false] }, 2)!;
    expect(weights).toEqual([2, 1]);
    expect(correctedSampleWeights({ corrected: [false, false] }, 2)).toBeUndefined();
    expect(correctedSampleWeights({ corrected: [true, false] }, 1)).toBeUndefined();
    expect(segmentationLoss(y2, p2, cfg, weights).dataSync()[0]).toBeCloseTo(segmentationLoss(y3, p3, cfg).dataSync()[0], 6);
    expect(segmentationLoss(y2, p2, cfg, [1, 1]).dataSync()[0]).toBeCloseTo(segmentationLoss(y2, p2, cfg).dataSync()[0], 6);
    tf.dispose([p2, p3, y2, y3]);
  });

  it('Dice per class and lesion (2∪3) from confusion counts', () => {
    const c = new Confusion();
    c.add(Uint8Array.from([0, 1, 2, 3, 2, 4]), Uint8Array.from([0, 1, 3, 3, 1, 0]));
    const d = c.dice();
    expect(d.consolidation).toBeCloseTo((2 * 1) / (1 + 2), 12);
    expect(d.ggo).toBe(0);
    expect(d.lesion).toBeCloseTo((2 * 2) / (3 + 2), 12);
    expect(d.vessels).toBe(0);
    expect(new Confusion().dice().lesion).toBeNull();
    expect(Array.from(argmaxLabels(Float32Array.from([0.1, 0.2, 0.7, 0, 0, 0.5, 0.1, 0.1, 0.1, 0.2]), 5))).toEqual([2, 0]);
  });

  it('own Adam matches the closed form on a 1-D quadratic', async () => {
    const x = tf.variable(tf.scalar(1));
    const adam = new Adam(0.1, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, [x]);
    // f = x², g = 2x. First step: m̂ = g, v̂ = g², step = lr·g/|g| = 0.1
    const g = tf.grads((v: tf.Tensor) => v.square())([x])[0];
    adam.apply({ [x.name]: g });
    expect(x.dataSync()[0]).toBeCloseTo(0.9, 6);
    const s = await adam.getState();
    expect(s.step).toBe(1);
    expect(s.m[0][0]).toBeCloseTo(0.2, 6);
    tf.dispose([x, g]);
    adam.dispose();
  });
});

describe('test-support conv filter gradient', () => {
  it('equals the stock cpu kernel on U-Net shapes (3×3 same, 2×2 stride 2)', () => {
    type Shape4 = [number, number, number, number];
    const cases: [Shape4, Shape4, number, 'same' | 'valid'][] = [
      [[2, 8, 8, 3], [3, 3, 3, 4], 1, 'same'],
      [[2, 8, 8, 4], [2, 2, 4, 2], 2, 'same'],
    ];
    const stock = cases.map(([xs, fs, s, pad]) =>
      tf.tidy(() => {
        const x = tf.randomUniform(xs, -1, 1, 'float32', 1) as tf.Tensor4D;
        const f = tf.randomUniform(fs, -1, 1, 'float32', 2) as tf.Tensor4D;
        return tf.grad((ff: tf.Tensor) => tf.conv2d(x, ff as tf.Tensor4D, s, pad).square().sum())(f).dataSync();
      }),
    );
    registerJsConvFilterGrad();
    cases.forEach(([xs, fs, s, pad], k) => {
      const fast = tf.tidy(() => {
        const x = tf.randomUniform(xs, -1, 1, 'float32', 1) as tf.Tensor4D;
        const f = tf.randomUniform(fs, -1, 1, 'float32', 2) as tf.Tensor4D;
        return tf.grad((ff: tf.Tensor) => tf.conv2d(x, ff as tf.Tensor4D, s, pad).square().sum())(f).dataSync();
      });
      fast.forEach((v, i) => expect(Math.abs(v - stock[k][i])).toBeLessThan(1e-4 * (1 + Math.abs(stock[k][i]))));
    });
  });
});

describe('SVG line chart', () => {
  it('draws one polyline per series run and a legend entry per series', () => {
    const svg = stackedChartsSvg([{ title: 'Loss <x>', xLabel: 'epoch', series: [{ name: 'a', points: [[1, 2], [2, 1], [3, 0.5]] }, { name: 'b', points: [[1, null], [2, 0.2], [3, 0.3]] }] }]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)?.length).toBe(2);
    expect(svg).toContain('Loss &lt;x&gt;');
    expect(svg).not.toContain('NaN');
  });
});
