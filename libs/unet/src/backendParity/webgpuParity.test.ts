// One training step and one inference of a small U-Net on the webgpu backend (Dawn; in CI the
// adapter is Mesa's lavapipe, a CPU Vulkan) against native-cpu, from the same weights and batch.
// CPU data moves to the GPU backend but not back (webgpu has no synchronous read in Node), so the
// CPU reference is computed first.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../adam.js';
import { oneHotLabels, segmentationLoss } from '../loss.js';
import { buildUnet, CLASS_COUNT } from '../model.js';
import { tinySections } from '../testing/syntheticSlices.js';
import { trainStep } from '../trainUnet.js';
import type { Batch } from '../dataset.js';
import { selectBackend } from '@covseg/tfjs-backend';
import { findWebgpuAdapter } from '@covseg/tfjs-backend';
import { relErr, seeded } from '@covseg/tfjs-backend';
import { stockKernel } from '@covseg/tfjs-backend';
import { chunkRows } from '@covseg/tfjs-backend';

/**
 * Tolerances, relative to the largest magnitude of the reference (testUtil's relErr). Float32 with
 * another summation order (tiled GPU matmuls, parallel reductions), measured on lavapipe (Mesa 25.0.7,
 * `webgpu` 0.6.2): loss 0 (equal), logits 8.5e-7, worst of 36 gradients 2.7e-6, logits after one
 * Adam step 8.0e-6 (Adam divides by √v, so tiny gradient differences grow). Bounds ≈ 40–60× that;
 * a wrong kernel or a broken loss is off by > 1e-1 (the int32 one-hot bug gave loss 1 vs 2.59).
 */
const TOL = { loss: 1e-5, logits: 5e-5, grads: 1e-4, stepLogits: 5e-4 };

const sections = tinySections({ unet: { dropout: 0 } });
const SIZE = sections.unet.inputSize;
const BATCH = 2;

const probe = await findWebgpuAdapter().then(
  (a) => ({ ok: true as const, summary: a.facts.summary }),
  (e: Error) => ({ ok: false as const, summary: e.message }),
);
if (!probe.ok) console.warn(`webgpu parity: skipped — ${probe.summary} (on Debian: libvulkan1 + mesa-vulkan-drivers from bookworm-backports; .ci/run installs them)`);

function batch(): Batch {
  const x = Float32Array.from({ length: BATCH * SIZE * SIZE }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453)));
  // labels in blobs (not pixel noise) so the Dice terms are not degenerate
  const y = Uint8Array.from({ length: BATCH * SIZE * SIZE }, (_, i) => ((i % SIZE >> 3) + ((i / SIZE) >> 3) + (i >> 10)) % CLASS_COUNT);
  return { x, y, size: SIZE, count: BATCH, keys: ['a', 'b'], corrected: [false, false] };
}

interface Run {
  loss: number;
  grads: Float32Array[];
  logits: Float32Array;
  stepLoss: number;
  stepLogits: Float32Array;
}

/** Loss, gradients and logits from `weights`, then one real trainStep (Adam) and the logits after it. */
async function run(weights: Float32Array[] | null): Promise<{ run: Run; weights: Float32Array[] }> {
  const model = buildUnet(sections.unet);
  if (weights) model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)));
  const initial = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
  const logitsModel = tf.model({ inputs: model.inputs, outputs: model.getLayer('logits').output as tf.SymbolicTensor });
  const b = batch();
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.tensor4d(b.x, [BATCH, SIZE, SIZE, 1]);
  const y = oneHotLabels(b.y, BATCH, SIZE, CLASS_COUNT);
  const { value, grads } = tf.variableGrads(() => segmentationLoss(y, model.apply(x, { training: true }) as tf.Tensor4D, sections.train.loss), vars);
  const loss = (await value.data())[0];
  const gradValues = await Promise.all(vars.map(async (v) => (await grads[v.name].data()) as Float32Array));
  const logits = logitsModel.predict(x) as tf.Tensor;
  const logitValues = (await logits.data()) as Float32Array;
  tf.dispose([value, logits, ...Object.values(grads)]);
  // the same model after one step of the trainer's own training path
  const adam = new Adam(sections.train.learningRate, sections.train.adam, vars);
  const stepLoss = await trainStep(model, adam, vars, b, sections.train.loss);
  const after = logitsModel.predict(x) as tf.Tensor;
  const stepLogits = (await after.data()) as Float32Array;
  tf.dispose([after, x, y]);
  adam.dispose();
  model.dispose();
  return { run: { loss, grads: gradValues, logits: logitValues, stepLoss, stepLogits }, weights: initial };
}

describe.skipIf(!probe.ok)(`webgpu vs native-cpu, one step and one inference (${probe.summary})`, () => {
  let ref: Run, gpu: Run, cpuName: string;
  beforeAll(async () => {
    cpuName = (await selectBackend('native-cpu', { log: () => {} })).name;
    const cpu = await run(null);
    ref = cpu.run;
    const sel = await selectBackend('webgpu', { log: () => {} });
    expect(sel.name).toBe('webgpu');
    gpu = (await run(cpu.weights)).run;
  }, 600_000); // lavapipe on a loaded 2-core machine: ~1 min

  it('loss and logits agree', () => {
    expect(Math.abs(gpu.loss - ref.loss) / Math.abs(ref.loss)).toBeLessThan(TOL.loss);
    expect(relErr(gpu.logits, ref.logits)).toBeLessThan(TOL.logits);
    expect(ref.logits.length).toBe(BATCH * SIZE * SIZE * CLASS_COUNT);
  });

  it('every gradient agrees', () => {
    expect(gpu.grads.length).toBe(ref.grads.length);
    const errs = ref.grads.map((g, i) => relErr(gpu.grads[i], g));
    expect(Math.max(...errs), `worst of ${errs.length} gradients vs ${cpuName}`).toBeLessThan(TOL.grads);
    // the gradients are not trivially zero
    expect(ref.grads.every((g) => g.some((v) => v !== 0))).toBe(true);
  });

  it('a trainStep (Adam, async read-back) gives the same loss and the same model', () => {
    expect(gpu.stepLoss).toBeCloseTo(gpu.loss, 5);
    expect(relErr(gpu.stepLogits, ref.stepLogits)).toBeLessThan(TOL.stepLogits);
    // the step changed the model
    expect(relErr(ref.stepLogits, ref.logits)).toBeGreaterThan(1e-3);
  });
});

describe.skipIf(!probe.ok)('webgpu Conv2DBackpropFilter as batched matmuls', () => {
  type Shape4 = [number, number, number, number];
  // 3×3 same, the transposed conv's 2×2 stride 2, 1×1, and an 80² input cut into 4 chunks of 3200 rows
  const cases: [Shape4, Shape4, number, 'same' | 'valid'][] = [
    [[2, 8, 8, 3], [3, 3, 3, 4], 1, 'same'],
    [[2, 8, 8, 4], [2, 2, 4, 2], 2, 'same'],
    [[2, 6, 6, 5], [1, 1, 5, 3], 1, 'valid'],
    [[2, 80, 80, 2], [3, 3, 2, 3], 1, 'same'],
  ];

  it('splits the reduction into whole image rows', () => {
    expect(chunkRows(80, 80)).toBe(3200);
    expect(chunkRows(512, 512)).toBe(4096);
    expect(chunkRows(7, 5000)).toBe(5000);
  });

  it('equals the stock webgpu kernel and leaves no tensor or buffer behind', async () => {
    await selectBackend('webgpu', { log: () => {} });
    for (const [xShape, fShape, stride, pad] of cases) {
      const x = seeded(xShape, 3);
      const outHW = (n: number) => (pad === 'same' ? Math.ceil(n / stride) : Math.floor((n - fShape[0]) / stride) + 1);
      const dy = seeded([xShape[0], outHW(xShape[1]), outHW(xShape[2]), fShape[3]], 5);
      const attrs = { strides: stride, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: fShape };
      const before = tf.memory();
      const ours = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never) as tf.Tensor;
      const oursValues = (await ours.data()) as Float32Array;
      ours.dispose();
      expect(tf.memory().numTensors).toBe(before.numTensors);
      expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
      const stockInfo = stockKernel('Conv2DBackpropFilter', 'webgpu').kernelFunc({ inputs: { x, dy }, attrs: attrs as never, backend: tf.backend() }) as tf.TensorInfo;
      const stock = tf.engine().makeTensorFromTensorInfo(stockInfo);
      expect(relErr(oursValues, (await stock.data()) as Float32Array), `${xShape} ⊛ ${fShape}`).toBeLessThan(1e-5);
      // the inputs are intact after our kernel (their data was wrapped, not freed)
      expect(relErr((await x.data()) as Float32Array, (await seeded(xShape, 3).data()) as Float32Array)).toBe(0);
      tf.dispose([x, dy, stock]);
    }
  });
});
