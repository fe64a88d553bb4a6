import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNativeCpu } from '@covseg/native-cpu';
import { Adam } from '../adam.js';
import { segmentationLoss } from '../loss.js';
import { trainStep } from '../trainUnet.js';
import { tinyUnet } from '@covseg/tfjs-backend';
import { installNativeCpuKernels } from '@covseg/tfjs-backend';
import { restoreStockKernels } from '@covseg/tfjs-backend';
import { nativeTrainingActive } from '@covseg/tfjs-backend';
import { relErr, seeded, stockAndOurs } from '@covseg/tfjs-backend';

const load = loadNativeCpu();
const install = () => load.ok && installNativeCpuKernels(load.addon);

/** A batch-norm layer in training mode on x: its output, the gradients of Σ(y·w) for x, γ, β, and the moving statistics after the call. */
function bnStep(x: tf.Tensor, seed: number): tf.Tensor[] {
  const c = x.shape.at(-1)!;
  const layer = tf.layers.batchNormalization({ axis: -1, momentum: 0.9, gammaInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed }), betaInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: seed + 1 }) });
  layer.build(x.shape);
  const w = seeded(x.shape, seed + 2);
  const [gamma, beta] = [layer.getWeights()[0], layer.getWeights()[1]];
  const f = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    layer.setWeights([g, b, ...layer.getWeights().slice(2)]);
    return tf.sum(tf.mul(layer.apply(xx, { training: true }) as tf.Tensor, w));
  };
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  const grads = tf.grads(f)([x, gamma, beta]);
  expect(c).toBe(gamma.shape[0]);
  return [y, ...grads, ...layer.getWeights().slice(2)];
}

/** Float64 reference of the training-mode batch-norm gradient dx (last-axis channels). */
function bnGradReference(x: Float32Array, dy: Float32Array, gamma: Float32Array, eps: number): Float64Array {
  const c = gamma.length, n = x.length / c;
  const mean = new Float64Array(c), vr = new Float64Array(c), sdy = new Float64Array(c), sdyx = new Float64Array(c);
  for (let i = 0; i < x.length; i++) mean[i % c] += x[i] / n;
  for (let i = 0; i < x.length; i++) vr[i % c] += (x[i] - mean[i % c]) ** 2 / n;
  for (let i = 0; i < x.length; i++) { const j = i % c; sdy[j] += dy[i]; sdyx[j] += dy[i] * (x[i] - mean[j]) / Math.sqrt(vr[j] + eps); }
  const dx = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % c, inv = 1 / Math.sqrt(vr[j] + eps), xh = (x[i] - mean[j]) * inv;
    dx[i] = gamma[j] * inv * (dy[i] - sdy[j] / n - xh * sdyx[j] / n);
  }
  return dx;
}

describe.skipIf(!load.ok)('native-cpu fused training kernels', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const [label, shape] of [['small', [2, 8, 8, 4]], ['threaded', [8, 32, 32, 16]]] as const)
    it(`batch-norm layer (training, ${label} ${shape.join('×')}): output, dx/dγ/dβ and moving statistics equal tfjs's within 1e-5`, () => {
      // an offset mean (+3) checks the variance does not cancel
      const { stock, ours } = stockAndOurs(install, () => bnStep(seeded([...shape], 40).mul(2).add(3), 41));
      expect(ours.length).toBe(6);
      for (let i = 0; i < stock.length; i++) expect(relErr(ours[i], stock[i]), `output ${i}`).toBeLessThan(1e-5);
    });

  it('batch-norm dx is within 1e-6 of a float64 reference', async () => {
    install();
    try {
      const x = seeded([4, 16, 16, 8], 50).mul(3).add(1), dy = seeded([4, 16, 16, 8], 51);
      const gamma = seeded([8], 52).add(1.5);
      const layer = tf.layers.batchNormalization({ axis: -1, epsilon: 1e-3 });
      layer.build(x.shape);
      layer.setWeights([gamma, tf.zeros([8]), tf.zeros([8]), tf.ones([8])]);
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(layer.apply(v, { training: true }) as tf.Tensor, dy)))(x);
      const ref = bnGradReference(x.dataSync() as Float32Array, dy.dataSync() as Float32Array, gamma.dataSync() as Float32Array, 1e-3);
      expect(relErr(dx.dataSync(), ref)).toBeLessThan(1e-6);
      // and the layer did take the fused kernels, leaving no tensors behind
      const before = tf.memory().numTensors;
      const prof = await tf.profile(() => tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(layer.apply(v, { training: true }) as tf.Tensor))(x)).dispose());
      expect(prof.kernelNames).toEqual(expect.arrayContaining(['CovsegBatchNormTrain', 'CovsegBatchNormTrainGrad']));
      expect(prof.kernelNames).not.toContain('FusedBatchNorm');
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      restoreStockKernels();
    }
  });

  it('Adam through the fused kernel is bit-identical to the tfjs composition over 3 steps', async () => {
    const run = async (fused: boolean) => {
      restoreStockKernels();
      if (fused) install();
      expect(nativeTrainingActive()).toBe(fused);
      const vars = [tf.variable(seeded([3, 3, 4, 8], 60)), tf.variable(seeded([5000], 61))];
      const adam = new Adam(0.01, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, vars);
      for (let s = 0; s < 3; s++) adam.apply({ [vars[0].name]: seeded([3, 3, 4, 8], 62 + s), [vars[1].name]: seeded([5000], 70 + s).mul(s + 1) });
      const st = await adam.getState();
      const r = [...vars.map((v) => v.dataSync().slice()), ...st.m, ...st.v];
      adam.dispose();
      tf.dispose(vars);
      restoreStockKernels();
      return r;
    };
    const stock = await run(false), ours = await run(true);
    for (let i = 0; i < stock.length; i++) expect(Array.from(ours[i]), `tensor ${i}`).toEqual(Array.from(stock[i]));
  });

  for (const [label, shape] of [['small', [2, 16, 16, 5]], ['threaded', [8, 32, 32, 5]]] as const)
    it(`segmentation loss (${label}): value and gradient equal the tfjs composition within 1e-5, class weights and the log floor included`, async () => {
      const cfg = { crossEntropyWeight: 0.7, diceWeight: 1.3, classWeights: [0.2, 1, 3, 2.5, 0.5], diceSmooth: 1, correctedWeight: 1 };
      // logits ×40 push some probabilities below the 1e-7 floor (no CE gradient there)
      const logits = seeded([...shape], 80).mul(40);
      const labels = tf.tidy(() => tf.oneHot(tf.argMax(seeded([...shape], 81), -1), 5).toFloat());
      const f = (l: tf.Tensor) => segmentationLoss(labels as tf.Tensor4D, tf.softmax(l) as tf.Tensor4D, cfg);
      expect(tf.tidy(() => tf.less(tf.softmax(logits), 1e-7).any().dataSync()[0])).toBe(1);
      const { stock, ours } = stockAndOurs(install, () => { const { value, grad } = tf.valueAndGrad(f)(logits); return [value, grad]; });
      for (let i = 0; i < stock.length; i++) expect(relErr(ours[i], stock[i]), `output ${i}`).toBeLessThan(1e-5);
      install();
      try {
        const prof = await tf.profile(() => tf.tidy(() => tf.grad(f)(logits)).dispose());
        expect(prof.kernelNames).toEqual(expect.arrayContaining(['CovsegSegLoss', 'CovsegSegLossGrad']));
      } finally {
        restoreStockKernels();
      }
    });

  it('batch norm + relu layer pair: the relu runs inside the batch-norm kernel, same outputs and gradients as tfjs', async () => {
    const model = tf.sequential({ layers: [tf.layers.batchNormalization({ inputShape: [6, 6, 5], axis: -1 }), tf.layers.activation({ activation: 'relu' })] });
    model.layers[0].setWeights([seeded([5], 90).add(1), seeded([5], 91), tf.zeros([5]), tf.ones([5])]);
    const x = seeded([3, 6, 6, 5], 92), w = seeded([3, 6, 6, 5], 93);
    const f = (v: tf.Tensor) => tf.sum(tf.mul(model.apply(v, { training: true }) as tf.Tensor, w));
    const weights = () => model.getWeights().map((t) => t.clone());
    const start = weights();
    const { stock, ours } = stockAndOurs(() => { install(); model.setWeights(start); }, () => [model.apply(x, { training: true }) as tf.Tensor, tf.grad(f)(x), ...weights()]);
    for (let i = 0; i < stock.length; i++) expect(relErr(ours[i], stock[i]), `output ${i}`).toBeLessThan(1e-5);
    install();
    try {
      const prof = await tf.profile(() => tf.tidy(() => tf.grad(f)(x)).dispose());
      expect(prof.kernelNames).toContain('CovsegBatchNormTrain');
      expect(prof.kernelNames).not.toContain('Relu');
      expect(prof.kernelNames).not.toContain('CovsegReluGrad');
    } finally {
      restoreStockKernels();
    }
  });

  it('training on the route resumes bit for bit: 3 steps == 1 step, weights + Adam state into a fresh model, 2 steps', async () => {
    install();
    try {
      const loss = { crossEntropyWeight: 1, diceWeight: 1, classWeights: [0.5, 1, 2, 2, 1], diceSmooth: 1, correctedWeight: 1 };
      const n = 2, size = 16;
      const batches = [0, 1, 2].map((k) => ({ x: Float32Array.from({ length: n * size * size }, (_, i) => Math.abs(Math.sin(i * 1.3 + k))), y: Uint8Array.from({ length: n * size * size }, (_, i) => (i * 7 + k + (i >> 5)) % 5), size, count: n, keys: [], corrected: [false, false] }));
      const setup = () => {
        const model = tinyUnet(size, 4);
        const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
        return { model, vars, adam: new Adam(0.01, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, vars) };
      };
      const a = setup();
      const lossesA: number[] = [];
      for (const bb of batches) lossesA.push(await trainStep(a.model, a.adam, a.vars, bb, loss));
      const b = setup();
      const first = await trainStep(b.model, b.adam, b.vars, batches[0], loss);
      const saved = { weights: b.model.getWeights().map((t) => t.clone()), state: await b.adam.getState() };
      const c = setup();
      c.model.setWeights(saved.weights);
      c.adam.setState(saved.state);
      const lossesC = [first];
      for (const bb of batches.slice(1)) lossesC.push(await trainStep(c.model, c.adam, c.vars, bb, loss));
      expect(lossesC).toEqual(lossesA);
      expect(lossesA[2]).toBeLessThan(lossesA[0]);
      const wa = a.model.getWeights(), wc = c.model.getWeights();
      for (let i = 0; i < wa.length; i++) expect(Array.from(wc[i].dataSync()), `weight ${i}`).toEqual(Array.from(wa[i].dataSync()));
      for (const m of [a, b, c]) { m.adam.dispose(); m.model.dispose(); }
    } finally {
      restoreStockKernels();
    }
  });

  it('the route is inert once the stock kernels are back', () => {
    install();
    restoreStockKernels();
    expect(nativeTrainingActive()).toBe(false);
  });
});
