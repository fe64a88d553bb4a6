import * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './kernelRegistry.js';

interface Writable {
  write(values: Float32Array, shape: number[], dtype: tf.DataType): tf.DataId;
  readSync(dataId: tf.DataId): Float32Array;
}

/**
 * Conv2DBackpropFilter composed from ops every backend has (the wasm backend lacks this kernel,
 * so training fails without it): for each filter tap, the strided window of the padded input,
 * transposed, times dy. Returns a fresh tensor owned by the calling backend.
 */
export function composedConv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const { x, dy } = args.inputs as Record<string, tf.TensorInfo>;
  const a = args.attrs as Record<string, any>;
  if (a.dataFormat && a.dataFormat !== 'NHWC') throw new Error('composed Conv2DBackpropFilter supports NHWC only');
  const filterShape = a.filterShape as [number, number, number, number];
  const c = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
  const backend = args.backend as unknown as Writable;
  // Inputs are copied into fresh tensors: wrapping their dataIds would let tidy free data the
  // gradient tape still holds.
  const values = tf.tidy(() => {
    const xt = tf.tensor4d(backend.readSync(x.dataId), x.shape as [number, number, number, number]);
    const dyt = tf.tensor(backend.readSync(dy.dataId), dy.shape);
    const p = c.padInfo;
    const xp = tf.pad(xt, [[0, 0], [Math.max(p.top, 0), Math.max(p.bottom, 0)], [Math.max(p.left, 0), Math.max(p.right, 0)], [0, 0]]);
    const m = c.batchSize * c.outHeight * c.outWidth;
    const dy2 = dyt.reshape([m, c.outChannels]);
    const taps: tf.Tensor[] = [];
    for (let kh = 0; kh < c.filterHeight; kh++)
      for (let kw = 0; kw < c.filterWidth; kw++) {
        const begin = [0, kh, kw, 0];
        const end = [c.batchSize, kh + (c.outHeight - 1) * c.strideHeight + 1, kw + (c.outWidth - 1) * c.strideWidth + 1, c.inChannels];
        // one tap's window at a time: the wasm heap is capped at 4 GiB
        taps.push(tf.tidy(() => tf.matMul(tf.stridedSlice(xp, begin, end, [1, c.strideHeight, c.strideWidth, 1]).reshape([m, c.inChannels]), dy2, true, false)));
      }
    return tf.stack(taps).dataSync() as Float32Array;
  });
  const dataId = backend.write(Float32Array.from(values), filterShape, 'float32');
  return { dataId, shape: filterShape, dtype: 'float32' };
}

/** The kernel config for a backend that lacks Conv2DBackpropFilter. */
export function composedConv2DBackpropFilterConfig(backendName: string): tf.KernelConfig {
  return { kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc: composedConv2DBackpropFilter as unknown as tf.KernelFunc };
}
