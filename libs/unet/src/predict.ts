import * as tf from '@tensorflow/tfjs';
import { InputError } from '@covseg/io';
import type { LoadedUnet } from './savedUnet.js';
import { normalizeWindow } from './normalize.js';
import { resizeBilinear, resizeNearest } from './resize.js';
import { argmaxLabels } from './metrics.js';
import { CLASS_COUNT } from './model.js';

/** Result of predictSlices: label maps h×w per slice, and channel-last probabilities (h·w·5) when asked. */
export interface SlicePrediction {
  labels: Uint8Array[];
  probabilities?: Float32Array[];
}

/**
 * Segments HU slices of size h×w in batches: window → resize to the model input → softmax → arg-max at
 * model resolution → nearest-neighbour back to h×w (probabilities bilinear per channel).
 */
export async function predictSlices(unet: LoadedUnet, images: readonly (Int16Array | Float32Array)[], h: number, w: number, batchSize: number, opts: { probabilities?: boolean } = {}): Promise<SlicePrediction> {
  const [sh, sw] = unet.info.inputSize;
  const px = sh * sw;
  const labels: Uint8Array[] = [];
  const probabilities: Float32Array[] = [];
  if (!(batchSize >= 1)) throw new InputError(`batch size must be ≥ 1, got ${batchSize}`);
  for (let start = 0; start < images.length; start += batchSize) {
    const chunk = images.slice(start, start + batchSize);
    const x = new Float32Array(chunk.length * px);
    chunk.forEach((img, k) => {
      if (img.length !== h * w) throw new InputError(`slice ${start + k} has ${img.length} pixels, expected ${w}×${h}`);
      x.set(resizeBilinear(normalizeWindow(img, unet.info.window, undefined, `slice ${start + k}`), h, w, sh, sw), k * px);
    });
    const out = tf.tidy(() => unet.model.predict(tf.tensor4d(x, [chunk.length, sh, sw, 1])) as tf.Tensor);
    const probs = (await out.data().finally(() => out.dispose())) as Float32Array;
    for (let k = 0; k < chunk.length; k++) {
      const p = probs.subarray(k * px * CLASS_COUNT, (k + 1) * px * CLASS_COUNT);
      labels.push(resizeNearest(argmaxLabels(p, CLASS_COUNT), sh, sw, h, w));
      if (opts.probabilities) probabilities.push(resizeProbabilities(p, sh, sw, h, w));
    }
  }
  return opts.probabilities ? { labels, probabilities } : { labels };
}

function resizeProbabilities(p: Float32Array, sh: number, sw: number, h: number, w: number): Float32Array {
  if (sh === h && sw === w) return p.slice();
  const out = new Float32Array(h * w * CLASS_COUNT);
  const plane = new Float32Array(sh * sw);
  for (let c = 0; c < CLASS_COUNT; c++) {
    for (let i = 0; i < plane.length; i++) plane[i] = p[i * CLASS_COUNT + c];
    const r = resizeBilinear(plane, sh, sw, h, w);
    for (let i = 0; i < r.length; i++) out[i * CLASS_COUNT + c] = r[i];
  }
  return out;
}
