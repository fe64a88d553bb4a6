import * as tf from '@tensorflow/tfjs';
import type { NativeCpuAddon } from '@covseg/native-cpu';
import { f32, out, sizeOf, uninit } from './cpuData.js';
import { addKernel, isReplaced, type KernelArgs } from './kernelRegistry.js';

// One-pass gradient kernels for the `cpu` backend. tfjs builds the gradients of batch norm, relu,
// mean and square from 3–15 full-size elementwise ops each; these compute the same values in one
// or two passes. The gradient registry is global, so each override defers to tfjs's own gradient
// unless the native-cpu route is active (its kernels are installed and cpu is the current backend).

type Attrs = Record<string, any>;
let native: NativeCpuAddon | undefined;
type Inputs = Record<string, tf.TensorInfo>;

/** dx, dmean, dvariance, dscale, doffset of y = (x−mean)·scale/√(variance+ε) + offset, per last-axis channel. */
export function batchNormGradValues(dy: Float32Array, x: Float32Array, mean: Float32Array, variance: Float32Array, scale: Float32Array, eps: number): Float32Array[] {
  const c = mean.length;
  const inv = new Float64Array(c), sdy = new Float64Array(c), sdyx = new Float64Array(c);
  for (let j = 0; j < c; j++) inv[j] = Math.fround(1 / Math.sqrt(Math.fround(variance[j] + eps)));
  if (native) native.batchNormGradSums(dy, x, mean, sdy, sdyx);
  else
    for (let o = 0; o < x.length; o += c)
      for (let j = 0; j < c; j++) {
        const d = dy[o + j];
        sdy[j] += d;
        sdyx[j] += d * (x[o + j] - mean[j]);
      }
  const dx = uninit(x.length), k = new Float64Array(c);
  for (let j = 0; j < c; j++) k[j] = inv[j] * scale[j];
  if (native) native.channelAffine(dy, dx, new Float64Array(c), k, new Float64Array(c));
  else for (let o = 0; o < x.length; o += c) for (let j = 0; j < c; j++) dx[o + j] = dy[o + j] * k[j];
  const dmean = new Float32Array(c), dvar = new Float32Array(c), dscale = new Float32Array(c), doffset = new Float32Array(c);
  for (let j = 0; j < c; j++) {
    dmean[j] = -k[j] * sdy[j];
    dvar[j] = -0.5 * inv[j] * inv[j] * inv[j] * scale[j] * sdyx[j];
    dscale[j] = inv[j] * sdyx[j];
    doffset[j] = sdy[j];
  }
  return [dx, dmean, dvar, dscale, doffset];
}

const kernels: tf.KernelConfig[] = [
  {
    kernelName: 'CovsegBatchNormGrad', backendName: 'cpu',
    kernelFunc: ((args: KernelArgs) => {
      const { dy, x, mean, variance, scale } = args.inputs as Inputs;
      const b = args.backend;
      const vals = batchNormGradValues(f32(b, dy), f32(b, x), f32(b, mean), f32(b, variance), f32(b, scale), (args.attrs as Attrs).varianceEpsilon);
      return vals.map((v, i) => out(b, i === 0 ? x.shape : mean.shape, v));
    }) as unknown as tf.KernelFunc,
  },
  {
    kernelName: 'CovsegReluGrad', backendName: 'cpu',
    kernelFunc: ((args: KernelArgs) => {
      const { dy, x } = args.inputs as Inputs;
      const d = f32(args.backend, dy), v = f32(args.backend, x), r = uninit(v.length);
      if (native) native.pointwise(1, v, d, r);
      else for (let i = 0; i < v.length; i++) r[i] = v[i] > 0 ? d[i] : v[i] !== v[i] ? NaN : 0;
      return out(args.backend, x.shape, r);
    }) as unknown as tf.KernelFunc,
  },
  {
    kernelName: 'CovsegSquareGrad', backendName: 'cpu',
    kernelFunc: ((args: KernelArgs) => {
      const { dy, x } = args.inputs as Inputs;
      const d = f32(args.backend, dy), v = f32(args.backend, x), r = uninit(v.length);
      if (native) native.pointwise(2, v, d, r);
      else for (let i = 0; i < v.length; i++) r[i] = d[i] * Math.fround(v[i] * 2);
      return out(args.backend, x.shape, r);
    }) as unknown as tf.KernelFunc,
  },
  {
    // dy of a mean over the contiguous block [A, R, B] → dy/R broadcast back over R.
    kernelName: 'CovsegMeanGrad', backendName: 'cpu',
    kernelFunc: ((args: KernelArgs) => {
      const { dy } = args.inputs as Inputs;
      const { shape, A, R, B } = args.attrs as Attrs;
      const d = f32(args.backend, dy), r = uninit(A * R * B);
      if (native) native.meanGrad(d, r, A, R, B);
      else for (let a = 0; a < A; a++) for (let k = 0, o = a * R * B; k < R; k++, o += B) for (let b = 0; b < B; b++) r[o + b] = d[a * B + b] / R;
      return out(args.backend, shape, r);
    }) as unknown as tf.KernelFunc,
  },
];

type GradFunc = tf.GradConfig['gradFunc'];

function override(kernelName: string, fast: (stock: GradFunc) => GradFunc): void {
  const stock = tf.getGradient(kernelName);
  if (!stock || (stock as { covseg?: boolean }).covseg) return;
  const f = fast(stock.gradFunc);
  tf.registerGradient({ ...stock, gradFunc: (dy, saved, attrs) => (isReplaced('FusedBatchNorm', 'cpu') && tf.getBackend() === 'cpu' ? f : stock.gradFunc)(dy, saved, attrs), covseg: true } as tf.GradConfig);
}

const run = (name: string, inputs: tf.NamedTensorMap, attrs: Attrs = {}) => tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap);

/** Registers the one-pass gradient kernels on `cpu` (threaded by the addon when given) and routes the four gradients through them. */
export function registerFusedGradients(addon?: NativeCpuAddon): void {
  native = addon;
  for (const k of kernels) addKernel(k);
  // Overriding prints a tfjs warning per gradient; silence it for these four calls only.
  const warn = console.warn;
  console.warn = () => {};
  try {
    override('FusedBatchNorm', (stock) => (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved;
      const c = x.shape.at(-1);
      if (!scale || x.dtype !== 'float32' || [mean, variance, scale].some((t) => t.rank !== 1 || t.shape[0] !== c)) return stock(dy, saved, attrs);
      const [dx, dmean, dvar, dscale, doffset] = run('CovsegBatchNormGrad', { dy: dy as tf.Tensor, x, mean, variance, scale }, attrs as Attrs) as tf.Tensor[];
      return { x: () => dx, mean: () => dmean, variance: () => dvar, scale: () => dscale, offset: () => doffset };
    });
    override('Relu', (stock) => (dy, saved, attrs) =>
      saved[0].dtype !== 'float32' ? stock(dy, saved, attrs) : { x: () => run('CovsegReluGrad', { dy: dy as tf.Tensor, x: saved[0] }) as tf.Tensor });
    override('Square', (stock) => (dy, saved, attrs) =>
      saved[0].dtype !== 'float32' ? stock(dy, saved, attrs) : { x: () => run('CovsegSquareGrad', { dy: dy as tf.Tensor, x: saved[0] }) as tf.Tensor });
    override('Mean', (stock) => (dy, saved, attrs) => {
      const [x] = saved;
      const axes = tf.util.parseAxisParam((attrs as Attrs).axis, x.shape).sort((p, q) => p - q);
      const contiguous = axes.length > 0 && axes.every((v, i) => i === 0 || v === axes[i - 1] + 1);
      if (!contiguous || (dy as tf.Tensor).dtype !== 'float32') return stock(dy, saved, attrs);
      const A = sizeOf(x.shape.slice(0, axes[0])), R = sizeOf(x.shape.slice(axes[0], axes.at(-1)! + 1)), B = sizeOf(x.shape.slice(axes.at(-1)! + 1));
      return { x: () => run('CovsegMeanGrad', { dy: dy as tf.Tensor }, { shape: x.shape, A, R, B }) as tf.Tensor };
    });
  } finally {
    console.warn = warn;
  }
}
