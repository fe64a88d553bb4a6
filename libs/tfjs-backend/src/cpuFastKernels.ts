import * as tf from '@tensorflow/tfjs';
import type { NativeCpuAddon } from '@covseg/native-cpu';
import { broadcastApply, broadcastPlan, type BinaryOp } from './broadcast.js';
import { f32, out, sizeOf, uninit } from './cpuData.js';
import { replaceKernel, type KernelArgs } from './kernelRegistry.js';

// Plain-JS fast paths for the `cpu` backend kernels that dominate a U-Net training step once the
// convolutions are native (bench/train.ts measures it): the stock ones walk every element through generic N-D index
// arithmetic. Each handles float32 in the layouts the U-Net produces and defers to the stock
// kernel otherwise.

type Attrs = Record<string, any>;
type Inputs = Record<string, tf.TensorInfo>;
const isF32 = (...ts: tf.TensorInfo[]) => ts.every((t) => t.dtype === 'float32');
const OPCODE: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3 };

// The addon's threaded versions of these loops, when the native route installed them.
let native: NativeCpuAddon | undefined;

function binary(op: BinaryOp): (stock: tf.KernelFunc) => tf.KernelFunc {
  return (stock) => (args: KernelArgs) => {
    const { a, b } = args.inputs as Inputs;
    if (!isF32(a, b)) return stock(args);
    const plan = broadcastPlan(a.shape, b.shape);
    if (!plan) return stock(args);
    const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const y = uninit(sizeOf(shape));
    if (native && plan.shape.length <= 8) native.binary(OPCODE[op], f32(args.backend, a), f32(args.backend, b), y, Int32Array.of(plan.shape.length, ...plan.shape, ...plan.sa, ...plan.sb));
    else broadcastApply(plan, op, f32(args.backend, a), f32(args.backend, b), y);
    return out(args.backend, shape, y);
  };
}

/** [outer, reduced, inner] sizes when `axes` form one contiguous block of x's dims. */
function reductionBlock(shape: number[], axes: number[]): [number, number, number] | undefined {
  const s = [...axes].sort((p, q) => p - q);
  if (s.length === 0 || s.some((v, i) => i > 0 && v !== s[i - 1] + 1)) return undefined;
  return [sizeOf(shape.slice(0, s[0])), sizeOf(shape.slice(s[0], s.at(-1)! + 1)), sizeOf(shape.slice(s.at(-1)! + 1))];
}

/** Sums x over the middle dim of [A, R, B] (float64 accumulation, like the stock kernel's JS numbers). */
export function sumMiddle(x: Float32Array, A: number, R: number, B: number, scale: number): Float32Array {
  const y = new Float32Array(A * B);
  if (native) {
    native.reduceMiddle(x, y, A, R, B, scale);
    return y;
  }
  if (B === 1) {
    for (let a = 0; a < A; a++) {
      let s = 0;
      for (let r = 0, o = a * R; r < R; r++) s += x[o + r];
      y[a] = s * scale;
    }
    return y;
  }
  const acc = new Float64Array(B);
  for (let a = 0; a < A; a++) {
    acc.fill(0);
    for (let r = 0, o = a * R * B; r < R; r++, o += B) for (let b = 0; b < B; b++) acc[b] += x[o + b];
    for (let b = 0; b < B; b++) y[a * B + b] = acc[b] * scale;
  }
  return y;
}

function reduce(mean: boolean): (stock: tf.KernelFunc) => tf.KernelFunc {
  return (stock) => (args: KernelArgs) => {
    const { x } = args.inputs as Inputs;
    const a = args.attrs as Attrs;
    if (!isF32(x)) return stock(args);
    const axes = tf.util.parseAxisParam(a.axis, x.shape);
    const block = reductionBlock(x.shape, axes);
    if (!block) return stock(args);
    const [A, R, B] = block;
    const y = sumMiddle(f32(args.backend, x), A, R, B, mean ? 1 / R : 1);
    const shape = a.keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    return out(args.backend, shape, y);
  };
}

/** Tiles x by reps, copying whole rows of the last dim. */
export function tileValues(x: Float32Array, shape: number[], reps: number[]): Float32Array {
  const rank = shape.length;
  const outShape = shape.map((d, i) => d * reps[i]);
  const y = uninit(sizeOf(outShape));
  let o = 0;
  const rec = (dim: number, inOff: number) => {
    const inner = sizeOf(shape.slice(dim + 1));
    if (dim === rank - 1) {
      const rowv = x.subarray(inOff, inOff + shape[dim]);
      for (let r = 0; r < reps[dim]; r++, o += shape[dim]) y.set(rowv, o);
      return;
    }
    for (let r = 0; r < reps[dim]; r++) for (let i = 0; i < shape[dim]; i++) rec(dim + 1, inOff + i * inner);
  };
  if (rank === 0) y[0] = x[0];
  else rec(0, 0);
  return y;
}

function maxPoolGrad(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { dy, input } = args.inputs as Inputs;
    const a = args.attrs as Attrs;
    if (!isF32(dy, input) || input.shape.length !== 4) return stock(args);
    const c = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    // Non-overlapping windows only: each input pixel then receives at most one gradient.
    if (c.filterHeight !== c.strideHeight || c.filterWidth !== c.strideWidth || c.padInfo.top !== 0 || c.padInfo.left !== 0) return stock(args);
    const x = f32(args.backend, input), g = f32(args.backend, dy);
    const [N, H, W, C] = input.shape;
    if (native) {
      const dxn = uninit(x.length);
      native.maxPoolGrad(x, g, dxn, Int32Array.of(N, H, W, C, c.filterHeight, c.filterWidth, c.outHeight, c.outWidth));
      return out(args.backend, input.shape, dxn);
    }
    const dx = new Float32Array(x.length);
    // Channels innermost (contiguous): per window keep each channel's first strict maximum, as the
    // stock kernel's maxPoolPositions picks it.
    const best = new Float32Array(C), pos = new Int32Array(C);
    for (let n = 0, o = 0; n < N; n++)
      for (let oh = 0; oh < c.outHeight; oh++)
        for (let ow = 0; ow < c.outWidth; ow++, o += C) {
          best.fill(-Infinity);
          pos.fill(-1);
          for (let fh = 0; fh < c.filterHeight; fh++) {
            const ih = oh * c.strideHeight + fh;
            if (ih >= H) break;
            for (let fw = 0; fw < c.filterWidth; fw++) {
              const iw = ow * c.strideWidth + fw;
              if (iw >= W) break;
              const p = ((n * H + ih) * W + iw) * C;
              for (let ch = 0; ch < C; ch++) if (x[p + ch] > best[ch]) { best[ch] = x[p + ch]; pos[ch] = p + ch; }
            }
          }
          for (let ch = 0; ch < C; ch++) if (pos[ch] >= 0) dx[pos[ch]] += g[o + ch];
        }
    return out(args.backend, input.shape, dx);
  };
}

function maxPool(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as Inputs;
    const a = args.attrs as Attrs;
    if (!isF32(x) || x.shape.length !== 4) return stock(args);
    const c = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    if (c.filterHeight !== c.strideHeight || c.filterWidth !== c.strideWidth || c.padInfo.top !== 0 || c.padInfo.left !== 0) return stock(args);
    const v = f32(args.backend, x);
    const [N, H, W, C] = x.shape;
    if (native) {
      const yn = uninit(N * c.outHeight * c.outWidth * C);
      native.maxPool(v, yn, Int32Array.of(N, H, W, C, c.filterHeight, c.filterWidth, c.outHeight, c.outWidth));
      return out(args.backend, [N, c.outHeight, c.outWidth, C], yn);
    }
    const y = new Float32Array(N * c.outHeight * c.outWidth * C).fill(-Infinity);
    // Row by row over the input: each input row feeds one output row, so reads stay sequential.
    for (let n = 0; n < N; n++)
      for (let oh = 0; oh < c.outHeight; oh++) {
        const o = ((n * c.outHeight + oh) * c.outWidth) * C;
        for (let fh = 0; fh < c.filterHeight; fh++) {
          const ih = oh * c.strideHeight + fh;
          if (ih >= H) break;
          for (let ow = 0; ow < c.outWidth; ow++)
            for (let fw = 0; fw < c.filterWidth; fw++) {
              const iw = ow * c.strideWidth + fw;
              if (iw >= W) break;
              const p = ((n * H + ih) * W + iw) * C, q = o + ow * C;
              for (let ch = 0; ch < C; ch++) if (v[p + ch] > y[q + ch]) y[q + ch] = v[p + ch];
            }
        }
      }
    return out(args.backend, [N, c.outHeight, c.outWidth, C], y);
  };
}

function concat(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const ts = (Array.isArray(args.inputs) ? args.inputs : Object.values(args.inputs)) as tf.TensorInfo[];
    if (ts.length < 2 || !isF32(...ts) || ts.some((t) => t.shape.length !== ts[0].shape.length)) return stock(args);
    const axis = tf.util.parseAxisParam((args.attrs as Attrs).axis, ts[0].shape)[0];
    const outer = sizeOf(ts[0].shape.slice(0, axis));
    if (ts.some((t) => sizeOf(t.shape.slice(0, axis)) !== outer || t.shape.some((d, i) => i !== axis && d !== ts[0].shape[i]))) return stock(args);
    const rows = ts.map((t) => sizeOf(t.shape.slice(axis)));
    const rowLen = rows.reduce((p, q) => p + q, 0);
    const y = uninit(outer * rowLen);
    let start = 0;
    ts.forEach((t, k) => {
      const v = f32(args.backend, t), len = rows[k];
      if (native) native.columnCopy(y, v, outer, rowLen, start, len, 1);
      else for (let i = 0; i < outer; i++) y.set(v.subarray(i * len, (i + 1) * len), i * rowLen + start);
      start += len;
    });
    const shape = [...ts[0].shape];
    shape[axis] = ts.reduce((p, t) => p + t.shape[axis], 0);
    return out(args.backend, shape, y);
  };
}

function splitV(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as Inputs;
    const a = args.attrs as Attrs;
    if (!isF32(x)) return stock(args);
    const axis = tf.util.parseAxisParam(a.axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, a.numOrSizeSplits, axis);
    const outer = sizeOf(x.shape.slice(0, axis)), inner = sizeOf(x.shape.slice(axis + 1)), rowLen = x.shape[axis] * inner;
    const v = f32(args.backend, x);
    let start = 0;
    return sizes.map((s) => {
      const len = s * inner, y = uninit(outer * len);
      if (native) native.columnCopy(y, v, outer, rowLen, start, len, 0);
      else for (let i = 0; i < outer; i++) y.set(v.subarray(i * rowLen + start, i * rowLen + start + len), i * len);
      start += len;
      const shape = [...x.shape];
      shape[axis] = s;
      return out(args.backend, shape, y);
    }) as unknown as tf.TensorInfo;
  };
}

function unary(f: (v: Float32Array, y: Float32Array, attrs: Attrs) => void): (stock: tf.KernelFunc) => tf.KernelFunc {
  return (stock) => (args: KernelArgs) => {
    const { x } = args.inputs as Inputs;
    if (!isF32(x)) return stock(args);
    const v = f32(args.backend, x), y = uninit(v.length);
    f(v, y, args.attrs as Attrs);
    return out(args.backend, x.shape, y);
  };
}

function softmax(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { logits } = args.inputs as Inputs;
    const dim = (args.attrs as Attrs).dim;
    if (!isF32(logits) || (dim !== -1 && dim !== logits.shape.length - 1)) return stock(args);
    const v = f32(args.backend, logits), y = uninit(v.length), k = logits.shape.at(-1)!;
    for (let o = 0; o < v.length; o += k) {
      let m = -Infinity;
      for (let j = 0; j < k; j++) if (v[o + j] > m) m = v[o + j];
      let s = 0;
      for (let j = 0; j < k; j++) s += (y[o + j] = Math.exp(Math.fround(v[o + j] - m)));
      const fs = Math.fround(s);
      for (let j = 0; j < k; j++) y[o + j] /= fs;
    }
    return out(args.backend, logits.shape, y);
  };
}

function fusedBatchNorm(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x, mean, variance, offset, scale } = args.inputs as Partial<Inputs>;
    const eps = (args.attrs as Attrs).varianceEpsilon as number;
    if (!isF32(...([x, mean, variance, offset, scale].filter(Boolean) as tf.TensorInfo[]))) return stock(args);
    const v = f32(args.backend, x!), m = f32(args.backend, mean!), va = f32(args.backend, variance!);
    const of = offset ? f32(args.backend, offset) : Float32Array.of(0), sc = scale ? f32(args.backend, scale) : Float32Array.of(1);
    const c = x!.shape.at(-1)!;
    if (![m, va, of, sc].every((p) => p.length === 1 || p.length === c)) return stock(args);
    // per-channel factor scale/√(var+ε): the stock kernel's formula, hoisted out of the pixel loop
    const k = new Float64Array(c), mu = new Float64Array(c), b = new Float64Array(c);
    for (let j = 0; j < c; j++) {
      const at = (p: Float32Array) => p[p.length === 1 ? 0 : j];
      k[j] = at(sc) / Math.sqrt(at(va) + eps);
      mu[j] = at(m);
      b[j] = at(of);
    }
    const y = uninit(v.length);
    if (native) native.channelAffine(v, y, mu, k, b);
    else for (let o = 0; o < v.length; o += c) for (let j = 0; j < c; j++) y[o + j] = b[j] + (v[o + j] - mu[j]) * k[j];
    return out(args.backend, x!.shape, y);
  };
}

/** Registers the fast paths on the `cpu` backend: the addon's threaded loops when given, plain JS otherwise (stock kernels stay the fallback). */
export function registerCpuFastKernels(addon?: NativeCpuAddon): void {
  native = addon;
  replaceKernel('Multiply', 'cpu', binary('mul'));
  replaceKernel('Add', 'cpu', binary('add'));
  replaceKernel('Sub', 'cpu', binary('sub'));
  replaceKernel('RealDiv', 'cpu', binary('div'));
  replaceKernel('Sum', 'cpu', reduce(false));
  replaceKernel('Mean', 'cpu', reduce(true));
  replaceKernel('Tile', 'cpu', (stock) => (args: KernelArgs) => {
    const { x } = args.inputs as Inputs;
    const reps = (args.attrs as Attrs).reps as number[];
    if (!isF32(x) || reps.length !== x.shape.length) return stock(args);
    return out(args.backend, x.shape.map((d, i) => d * reps[i]), tileValues(f32(args.backend, x), x.shape, reps));
  });
  replaceKernel('SplitV', 'cpu', splitV);
  replaceKernel('Concat', 'cpu', concat);
  replaceKernel('MaxPool', 'cpu', maxPool);
  replaceKernel('MaxPoolGrad', 'cpu', maxPoolGrad);
  replaceKernel('Sqrt', 'cpu', unary((v, y) => { for (let i = 0; i < v.length; i++) y[i] = Math.sqrt(v[i]); }));
  replaceKernel('Relu', 'cpu', unary((v, y) => {
    if (native) native.pointwise(0, v, v, y);
    else for (let i = 0; i < v.length; i++) y[i] = v[i] < 0 ? 0 : v[i];
  }));
  replaceKernel('Step', 'cpu', unary((v, y, a) => {
    const alpha = a.alpha ?? 0;
    for (let i = 0; i < v.length; i++) y[i] = Number.isNaN(v[i]) ? NaN : v[i] > 0 ? 1 : alpha;
  }));
  replaceKernel('Softmax', 'cpu', softmax);
  replaceKernel('FusedBatchNorm', 'cpu', fusedBatchNorm);
}
