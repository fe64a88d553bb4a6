import * as tf from '@tensorflow/tfjs';
import { replaceKernel, type KernelArgs } from './kernelRegistry.js';

/**
 * A pure-JS Conv2DBackpropFilter for the `cpu` backend (channels-last outer products, float64
 * accumulation), through the kernel registry so restoreStockKernels() undoes it. The stock `cpu`
 * kernel takes most of a training step, which makes even 32² training tests slow; tests that train
 * on the pure `cpu` backend install this one (production training runs on native-cpu, wasm or webgpu).
 */
export function registerJsConvFilterGrad(): void {
  replaceKernel('Conv2DBackpropFilter', 'cpu', (stock) => (args: KernelArgs) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const a = args.attrs as unknown as { strides: number | [number, number]; pad: 'same' | 'valid' | number; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number] };
    if (a.dataFormat === 'NCHW') return stock(args);
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
    const be = args.backend as unknown as { data: { get(id: object): { values: Float32Array } }; makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo };
    const xv = be.data.get(x.dataId).values;
    const dyv = be.data.get(dy.dataId).values;
    const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: K, filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const acc = new Float64Array(FH * FW * C * K);
    for (let n = 0; n < N; n++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          const dyBase = ((n * OH + oy) * OW + ox) * K;
          for (let fy = 0; fy < FH; fy++) {
            const iy = oy * SH + fy - top;
            if (iy < 0 || iy >= H) continue;
            for (let fx = 0; fx < FW; fx++) {
              const ix = ox * SW + fx - left;
              if (ix < 0 || ix >= W) continue;
              const xBase = ((n * H + iy) * W + ix) * C;
              const wBase = (fy * FW + fx) * C * K;
              for (let c = 0; c < C; c++) {
                const xval = xv[xBase + c];
                if (xval === 0) continue;
                const row = wBase + c * K;
                for (let k = 0; k < K; k++) acc[row + k] += xval * dyv[dyBase + k];
              }
            }
          }
        }
    return be.makeTensorInfo(a.filterShape, 'float32', Float32Array.from(acc));
  });
}
