import * as tf from '@tensorflow/tfjs';
import type { NativeCpuAddon } from '@covseg/native-cpu';
import { f32, out, uninit } from './cpuData.js';
import { addKernel, isReplaced, type KernelArgs } from './kernelRegistry.js';

// Fused training kernels of the native-cpu route: the batch-norm layer in training mode (tfjs
// composes it from moments + batchNorm: ~6 full-size passes forward and ~12 backward; here 2 and 2)
// the Adam update (13 elementwise ops per weight; here one pass) and the CE + soft-Dice loss (~25
// ops and their gradients over the [B,H,W,5] maps; here one pass of sums and one of gradient). The layer patch and the Adam
// hook fall through to tfjs's own path unless the native-cpu route is active on the cpu backend.

type Attrs = Record<string, any>;
type Inputs = Record<string, tf.TensorInfo>;
let native: NativeCpuAddon | undefined;

/** Whether the native-cpu route is installed and cpu is the current backend (checked per call: the registry is global). */
export function nativeTrainingActive(): boolean {
  return native !== undefined && isReplaced('FusedBatchNorm', 'cpu') && tf.getBackend() === 'cpu';
}

/** Per-channel float32-rounded batch statistics and the factors 1/√(σ²+ε) (float64) of x [rows, C]. */
function moments(x: Float32Array, c: number, eps: number): { mean: Float64Array; variance: Float64Array; inv: Float64Array } {
  const mean = new Float64Array(c), variance = new Float64Array(c), inv = new Float64Array(c);
  native!.batchMoments(x, mean, variance);
  for (let j = 0; j < c; j++) {
    // rounded as the float32 tensors the layer reports, so forward and gradient use the same values
    mean[j] = Math.fround(mean[j]);
    variance[j] = Math.fround(variance[j]);
    inv[j] = 1 / Math.sqrt(variance[j] + eps);
  }
  return { mean, variance, inv };
}

const kernels: tf.KernelConfig[] = [
  {
    // y = γ·(x − μ)/√(σ² + ε) + β with μ, σ² the batch statistics over all but the last axis, then
    // max(y, 0) when attrs.relu (the following relu layer fused); outputs y, μ, σ².
    kernelName: 'CovsegBatchNormTrain', backendName: 'cpu',
    kernelFunc: ((args: KernelArgs) => {
      const { x, gamma, beta } = args.inputs as Inputs;
      const eps = (args.attrs as Attrs).varianceEpsilon as number;
      const v = f32(args.backend, x), g = f32(args.backend, gamma), b = f32(args.backend, beta), c = x.shape.at(-1)!;
      const { mean, variance, inv } = moments(v, c, eps);
      const k = new Float64Array(c), shift = new Float64Array(c);
      for (let j = 0; j < c; j++) { k[j] = g[j] * inv[j]; shift[j] = b[j]; }
      const y = uninit(v.length);
      native!.batchNormApply(v, y, mean, k, shift, (args.attrs as Attrs).relu ? 1 : 0);
      return [out(args.backend, x.shape, y), out(args.backend, [c], Float32Array.from(mean)), out(args.backend, [c], Float32Array.from(variance))];
    }) as unknown as tf.KernelFunc,
  },
  {
    kernelName: 'CovsegBatchNormTrainGrad', backendName: 'cpu',
    kernelFunc: ((args: KernelArgs) => {
      const { dy, x, gamma, mean, variance, y } = args.inputs as Inputs;
      const eps = (args.attrs as Attrs).varianceEpsilon as number;
      const c = x.shape.at(-1)!;
      const m = Float64Array.from(f32(args.backend, mean)), va = f32(args.backend, variance), inv = new Float64Array(c);
      for (let j = 0; j < c; j++) inv[j] = 1 / Math.sqrt(va[j] + eps);
      const dx = uninit(sizeOf(x.shape)), dbeta = new Float64Array(c), dgamma = new Float64Array(c);
      const gradArgs = [f32(args.backend, dy), f32(args.backend, x), m, inv, f32(args.backend, gamma), dx, dbeta, dgamma] as const;
      if ((args.attrs as Attrs).relu) native!.batchNormTrainGrad(...gradArgs, f32(args.backend, y));
      else native!.batchNormTrainGrad(...gradArgs);
      return [out(args.backend, x.shape, dx), out(args.backend, [c], Float32Array.from(dgamma)), out(args.backend, [c], Float32Array.from(dbeta))];
    }) as unknown as tf.KernelFunc,
  },
  {
    // Weighted CE + soft-Dice loss of softmax yPred against one-hot yTrue (see loss.ts); a scalar.
    kernelName: 'CovsegSegLoss', backendName: 'cpu',
    kernelFunc: ((args: KernelArgs) => {
      const { yTrue, yPred } = args.inputs as Inputs;
      const a = args.attrs as Attrs;
      const { ce, diceLoss } = lossTerms(f32(args.backend, yPred), f32(args.backend, yTrue), a as LossAttrs);
      return out(args.backend, [], Float32Array.of(a.crossEntropyWeight * ce + a.diceWeight * diceLoss));
    }) as unknown as tf.KernelFunc,
  },
  {
    kernelName: 'CovsegSegLossGrad', backendName: 'cpu',
    kernelFunc: ((args: KernelArgs) => {
      const { dy, yTrue, yPred } = args.inputs as Inputs;
      const at = args.attrs as unknown as LossAttrs;
      const p = f32(args.backend, yPred), y = f32(args.backend, yTrue), g = f32(args.backend, dy)[0];
      const { sums, pixels, weightSum } = lossTerms(p, y, at);
      const C = at.classWeights.length, a = new Float64Array(C), b = new Float64Array(C), e = new Float64Array(C);
      for (let c = 0; c < C; c++) {
        const w = at.classWeights[c], inter = sums[C + c], denom = sums[2 * C + c] + sums[3 * C + c] + at.diceSmooth;
        a[c] = (g * at.crossEntropyWeight * -w) / pixels;
        b[c] = (g * at.diceWeight * (-w / weightSum) * 2) / denom;
        e[c] = (g * at.diceWeight * (w / weightSum) * (2 * inter + at.diceSmooth)) / (denom * denom);
      }
      const dp = uninit(p.length);
      native!.segLossGrad(p, y, at.logFloor, a, b, e, dp);
      return out(args.backend, yPred.shape, dp);
    }) as unknown as tf.KernelFunc,
  },
  {
    // One Adam step; attrs.consts = [β1, 1−β1, β2, 1−β2, lr_t, ε]. Outputs x', m', v'.
    kernelName: 'CovsegAdam', backendName: 'cpu',
    kernelFunc: ((args: KernelArgs) => {
      const { x, m, v, g } = args.inputs as Inputs;
      const n = sizeOf(x.shape), b = args.backend;
      const xo = uninit(n), mo = uninit(n), vo = uninit(n);
      native!.adam(f32(b, x), f32(b, m), f32(b, v), f32(b, g), xo, mo, vo, Float32Array.from((args.attrs as Attrs).consts as number[]));
      return [out(b, x.shape, xo), out(b, x.shape, mo), out(b, x.shape, vo)];
    }) as unknown as tf.KernelFunc,
  },
];

interface LossAttrs { classWeights: number[]; crossEntropyWeight: number; diceWeight: number; diceSmooth: number; logFloor: number }

/** The loss's two terms from one pass of sums: CE = −Σ w·y·log p / pixels, Dice loss = 1 − Σ w·dice / Σ w. */
function lossTerms(p: Float32Array, y: Float32Array, a: LossAttrs): { ce: number; diceLoss: number; sums: Float64Array; pixels: number; weightSum: number } {
  const C = a.classWeights.length, sums = new Float64Array(4 * C);
  native!.segLossSums(p, y, a.logFloor, sums);
  const pixels = p.length / C, weightSum = a.classWeights.reduce((q, r) => q + r, 0);
  let ce = 0, dice = 0;
  for (let c = 0; c < C; c++) {
    const w = a.classWeights[c];
    ce -= w * sums[c];
    dice += (w * (2 * sums[C + c] + a.diceSmooth)) / (sums[2 * C + c] + sums[3 * C + c] + a.diceSmooth);
  }
  return { ce: ce / pixels, diceLoss: 1 - dice / weightSum, sums, pixels, weightSum };
}

/**
 * The segmentation loss (weighted CE + soft Dice, as loss.ts composes it) through the fused
 * kernel, or undefined when the native-cpu route is not active.
 */
export function fusedSegmentationLoss(yTrue: tf.Tensor, yPred: tf.Tensor, cfg: Omit<LossAttrs, 'logFloor'>, logFloor: number): tf.Scalar | undefined {
  const C = yPred.shape.at(-1);
  if (!nativeTrainingActive() || yTrue.dtype !== 'float32' || yPred.dtype !== 'float32' || !tf.util.arraysEqual(yTrue.shape, yPred.shape) || cfg.classWeights.length !== C) return undefined;
  const attrs: LossAttrs = { classWeights: [...cfg.classWeights], crossEntropyWeight: cfg.crossEntropyWeight, diceWeight: cfg.diceWeight, diceSmooth: cfg.diceSmooth, logFloor: Math.fround(logFloor) };
  return tf.engine().runKernel('CovsegSegLoss', { yTrue, yPred }, attrs as unknown as tf.NamedAttrMap) as tf.Scalar;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, q) => p * q, 1);
}

const run = (name: string, inputs: tf.NamedTensorMap, attrs: Attrs = {}) => tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor[];

/**
 * One Adam step through the fused kernel (bit-identical to tfjs's composition in float32), or
 * undefined when the native-cpu route is not active. Returns [x', m', v'].
 */
export function fusedAdam(x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, beta1: number, beta2: number, lrT: number, epsilon: number): tf.Tensor[] | undefined {
  if (!nativeTrainingActive() || [x, m, v, g].some((t) => t.dtype !== 'float32')) return undefined;
  // Each constant as tfjs rounds a scalar operand (1 − β is taken in float64 first, as adam.ts does).
  return run('CovsegAdam', { x, m, v, g }, { consts: [beta1, 1 - beta1, beta2, 1 - beta2, lrT, epsilon].map(Math.fround) });
}

interface BatchNormLayer {
  axis: number; momentum: number; epsilon: number; center: boolean; scale: boolean;
  gamma: { read(): tf.Tensor }; beta: { read(): tf.Tensor };
  movingMean: { read(): tf.Tensor; write(v: tf.Tensor): void }; movingVariance: { read(): tf.Tensor; write(v: tf.Tensor): void };
}

/** The batch-norm layer in training mode through CovsegBatchNormTrain, moving averages updated as tfjs-layers does. */
function trainingCall(layer: BatchNormLayer, input: tf.Tensor, relu: boolean): tf.Tensor {
  return tf.tidy(() => {
    const [y, mean, variance] = run('CovsegBatchNormTrain', { x: input, gamma: layer.gamma.read(), beta: layer.beta.read() }, { varianceEpsilon: layer.epsilon, relu });
    const decay = 1 - layer.momentum;
    for (const [w, value] of [[layer.movingMean, mean], [layer.movingVariance, variance]] as const)
      tf.tidy(() => {
        const orig = w.read();
        w.write(tf.sub(orig, tf.mul(tf.sub(orig, value), decay)));
      });
    return y;
  });
}

let patched = false;

// Outputs of a batch-norm layer that already applied its following relu layer (which then passes them on).
const reluApplied = new WeakSet<tf.Tensor>();

type LayerProto = { call(inputs: tf.Tensor | tf.Tensor[], kwargs: Attrs): tf.Tensor | tf.Tensor[] };
type GraphLayer = { outboundNodes?: { outboundLayer?: { getClassName(): string; getConfig(): Attrs } }[] };

/** Whether the layer's only consumer is a relu Activation layer (the U-Net's conv → BN → relu). */
function feedsOnlyRelu(layer: GraphLayer): boolean {
  const next = layer.outboundNodes?.length === 1 ? layer.outboundNodes[0].outboundLayer : undefined;
  return next?.getClassName() === 'Activation' && next.getConfig().activation === 'relu';
}

/**
 * Routes tfjs-layers' BatchNormalization (training, last axis, centred and scaled, float32) through
 * the fused kernel while the route is active, applying the next layer's relu in the same pass when
 * that layer is its only consumer; that Activation layer then passes the tensor on unchanged.
 */
function patchBatchNormLayer(): void {
  if (patched) return;
  patched = true;
  const bn = Object.getPrototypeOf(tf.layers.batchNormalization({})) as LayerProto;
  const stockBn = bn.call;
  bn.call = function (this: BatchNormLayer & GraphLayer, inputs: tf.Tensor | tf.Tensor[], kwargs: Attrs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const usable = kwargs?.training === true && nativeTrainingActive() && (!Array.isArray(inputs) || inputs.length === 1) && x.dtype === 'float32' &&
      x.rank >= 2 && (this.axis === -1 || this.axis === x.rank - 1) && this.center && this.scale;
    if (!usable) return stockBn.call(this, inputs, kwargs);
    const relu = feedsOnlyRelu(this);
    const y = trainingCall(this, x, relu);
    if (relu) reluApplied.add(y);
    return y;
  };
  const act = Object.getPrototypeOf(tf.layers.activation({ activation: 'relu' })) as LayerProto;
  const stockAct = act.call;
  act.call = function (this: { getConfig(): Attrs }, inputs: tf.Tensor | tf.Tensor[], kwargs: Attrs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return reluApplied.has(x) && this.getConfig().activation === 'relu' ? x : stockAct.call(this, inputs, kwargs);
  };
}

/** Registers the fused training kernels and their gradient on `cpu`, and patches the batch-norm layer (both inert unless the route is active). */
export function registerNativeTrainKernels(addon: NativeCpuAddon): void {
  native = addon;
  for (const k of kernels) addKernel(k);
  if (!tf.getGradient('CovsegBatchNormTrain'))
    tf.registerGradient({
      kernelName: 'CovsegBatchNormTrain',
      inputsToSave: ['x', 'gamma'],
      outputsToSave: [true, true, true],
      gradFunc: (dys, saved, attrs) => {
        const [x, gamma, y, mean, variance] = saved;
        const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
        const [dx, dgamma, dbeta] = run('CovsegBatchNormTrainGrad', { dy, x, gamma, mean, variance, y }, attrs as Attrs);
        return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
      },
    });
  if (!tf.getGradient('CovsegSegLoss'))
    tf.registerGradient({
      kernelName: 'CovsegSegLoss',
      inputsToSave: ['yTrue', 'yPred'],
      gradFunc: (dy, saved, attrs) => {
        const [yTrue, yPred] = saved;
        return {
          yPred: () => run('CovsegSegLossGrad', { dy: dy as tf.Tensor, yTrue, yPred }, attrs as Attrs) as unknown as tf.Tensor,
          yTrue: () => { throw new Error('CovsegSegLoss: the targets are data, not differentiable'); },
        };
      },
    });
  patchBatchNormLayer();
}
