import * as tf from '@tensorflow/tfjs';
import { InputError } from '@covseg/io';
import type { ExportConfig } from './config.js';

/** tfjs backends the parity check can run on: 'auto' takes wasm when it loads, else cpu. */
export type TfjsBackendChoice = ExportConfig['verify']['tfjsBackend'];

/** Selects a pure tfjs backend; returns the one in use. */
export async function useTfjsBackend(choice: TfjsBackendChoice): Promise<string> {
  if (choice === 'wasm' || choice === 'auto') {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend('wasm')) return tf.getBackend();
    } catch (e) {
      if (choice === 'wasm') throw new InputError(`tfjs wasm backend does not load: ${(e as Error).message.split('\n')[0]}`);
    }
    if (choice === 'wasm') throw new InputError('tfjs wasm backend does not load');
  }
  await tf.setBackend('cpu');
  return tf.getBackend();
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
