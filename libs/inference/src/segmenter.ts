import * as tf from '@tensorflow/tfjs';
import type { LoadedUnet } from '@covseg/unet';

/** An inference engine over normalised slices (tfjs here; ONNX Runtime in libs/onnx). */
export interface Segmenter {
  /** Model name (unet-a, unet-b, …). */
  name: string;
  /** [height, width] of the network input, pixels. */
  inputSize: [number, number];
  /** HU window [low, high] mapped to [0, 1]. */
  window: [number, number];
  /** Class probabilities [n, 5, h, w] for a batch [n, 1, h, w] (NCHW float32 in [0, 1]). */
  predict(batch: Float32Array, n: number, h: number, w: number): Promise<Float32Array>;
}

/** A Segmenter over a tfjs model saved by `covseg train` (NHWC inside; NCHW at the interface). */
export function tfjsSegmenter(unet: LoadedUnet): Segmenter {
  return {
    name: unet.info.name,
    inputSize: [...unet.info.inputSize],
    window: [unet.info.window.low, unet.info.window.high],
    predict: async (batch, n, h, w) => predictNchw(unet.model, batch, n, h, w, n),
  };
}

/** Runs a tfjs NHWC model on NCHW [n, 1, h, w] images in batches; returns NCHW probabilities [n, classes, h, w]. */
export function predictNchw(model: tf.LayersModel, images: Float32Array, n: number, h: number, w: number, batchSize: number): Float32Array {
  const plane = h * w;
  const parts: Float32Array[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const out = tf.tidy(() => {
      // [m, 1, h, w] and [m, h, w, 1] share a memory layout: a reshape is the layout change
      const x = tf.tensor4d(images.subarray(start * plane, (start + m) * plane), [m, h, w, 1]);
      const y = model.predict(x) as tf.Tensor4D;
      return y.transpose([0, 3, 1, 2]);
    });
    parts.push(out.dataSync() as Float32Array);
    out.dispose();
  }
  const total = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let offset = 0;
  for (const p of parts) (total.set(p, offset), (offset += p.length));
  return total;
}
