import type * as tf from '@tensorflow/tfjs';
import type { LayerWeights } from './mappers/context.js';

/** A layer's weight values keyed by short name ('kernel', 'bias', 'gamma', 'moving_mean', …). */
export function layerWeights(layer: tf.layers.Layer): LayerWeights {
  const values = layer.getWeights();
  const out: LayerWeights = new Map();
  layer.weights.forEach((v, i) => {
    const short = v.originalName.split('/').pop()!.replace(/_\d+$/, '');
    out.set(short, { data: Float32Array.from(values[i].dataSync() as Float32Array), shape: [...values[i].shape] });
  });
  return out;
}
