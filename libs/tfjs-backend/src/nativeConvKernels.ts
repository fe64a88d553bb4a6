import * as tf from '@tensorflow/tfjs';
import type { NativeCpuAddon } from '@covseg/native-cpu';
import { f32, out, sizeOf, uninit } from './cpuData.js';
import { replaceKernel, type KernelArgs } from './kernelRegistry.js';

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

/** The addon's 15-integer geometry of a tfjs conv info (NHWC). */
export function convGeometry(c: ConvInfo): Int32Array {
  return Int32Array.of(c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth, c.outChannels, c.filterHeight, c.filterWidth,
    c.strideHeight, c.strideWidth, c.dilationHeight, c.dilationWidth, c.padInfo.top, c.padInfo.left);
}

type Attrs = Record<string, any>;
const nhwc = (a: Attrs) => a.dataFormat === undefined || a.dataFormat === 'NHWC' || a.dataFormat === 'channelsLast';
const allF32 = (...ts: (tf.TensorInfo | undefined)[]) => ts.every((t) => !t || t.dtype === 'float32');

function info(xShape: number[], filterShape: number[], a: Attrs, dilations: number | [number, number]): ConvInfo {
  return tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], filterShape as [number, number, number, number],
    a.strides, dilations, a.pad, a.dimRoundingMode, false, 'channelsLast');
}

function forward(addon: NativeCpuAddon, backend: unknown, x: tf.TensorInfo, filter: tf.TensorInfo, a: Attrs): { y: Float32Array; shape: number[] } {
  const c = info(x.shape, filter.shape, a, a.dilations ?? 1);
  const y = uninit(sizeOf(c.outShape));
  addon.conv2d(f32(backend, x), f32(backend, filter), y, convGeometry(c));
  return { y, shape: c.outShape };
}

/** Adds a per-channel bias and applies relu/linear in place; false when the activation is not one of those. */
function biasActivation(y: Float32Array, bias: Float32Array | undefined, activation: string | undefined): boolean {
  const act = activation ?? 'linear';
  if (act !== 'linear' && act !== 'relu') return false;
  if (bias) {
    const c = bias.length;
    for (let i = 0; i < y.length; i += c) for (let j = 0; j < c; j++) y[i + j] += bias[j];
  }
  if (act === 'relu') for (let i = 0; i < y.length; i++) if (!(y[i] > 0)) y[i] = 0;
  return true;
}

/** Registers the addon's convolutions as the `cpu` backend's Conv2D, FusedConv2D and both backprops (NHWC float32; anything else goes to the stock kernel). */
export function registerNativeConvKernels(addon: NativeCpuAddon): void {
  replaceKernel('Conv2D', 'cpu', (stock) => (args: KernelArgs) => {
    const { x, filter } = args.inputs as Record<string, tf.TensorInfo>;
    const a = args.attrs as Attrs;
    if (!nhwc(a) || !allF32(x, filter)) return stock(args);
    const { y, shape } = forward(addon, args.backend, x, filter, a);
    return out(args.backend, shape, y);
  });

  replaceKernel('FusedConv2D', 'cpu', (stock) => (args: KernelArgs) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const a = args.attrs as Attrs;
    const act = a.activation ?? 'linear';
    const biasOk = !bias || (bias.shape.length === 1 && bias.shape[0] === filter!.shape[3]);
    if (!nhwc(a) || !allF32(x, filter, bias) || preluActivationWeights || !biasOk || (act !== 'linear' && act !== 'relu')) return stock(args);
    const { y, shape } = forward(addon, args.backend, x!, filter!, a);
    biasActivation(y, bias ? f32(args.backend, bias) : undefined, act);
    return out(args.backend, shape, y);
  });

  replaceKernel('Conv2DBackpropInput', 'cpu', (stock) => (args: KernelArgs) => {
    const { dy, filter } = args.inputs as Record<string, tf.TensorInfo>;
    const a = args.attrs as Attrs;
    if (!nhwc(a) || !allF32(dy, filter)) return stock(args);
    const c = info(a.inputShape, filter.shape, a, 1);
    const dx = uninit(sizeOf(c.inShape));
    addon.conv2dBackpropInput(f32(args.backend, dy), f32(args.backend, filter), dx, convGeometry(c));
    return out(args.backend, c.inShape, dx);
  });

  replaceKernel('Conv2DBackpropFilter', 'cpu', (stock) => (args: KernelArgs) => {
    const { x, dy } = args.inputs as Record<string, tf.TensorInfo>;
    const a = args.attrs as Attrs;
    if (!nhwc(a) || !allF32(x, dy)) return stock(args);
    const c = info(x.shape, a.filterShape, a, 1);
    const dw = uninit(sizeOf(a.filterShape));
    addon.conv2dBackpropFilter(f32(args.backend, x), f32(args.backend, dy), dw, convGeometry(c));
    return out(args.backend, a.filterShape, dw);
  });
}
