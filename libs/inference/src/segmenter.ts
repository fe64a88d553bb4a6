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
    async predict(batch, n, h, w) {
      // [n, 1, h, w] and [n, h, w, 1] share one memory layout: a reshape is the layout change
      const out = tf.tidy(() => (unet.model.predict(tf.tensor4d(batch, [n, h, w, 1])) as tf.Tensor4D).transpose([0, 3, 1, 2]));
      try {
        return (await out.data()) as Float32Array;
      } finally {
        out.dispose();
      }
    },
  };
}
