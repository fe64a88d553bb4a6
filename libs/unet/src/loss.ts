import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from './config.js';
import { fusedSegmentationLoss } from '@covseg/tfjs-backend';

/** Floor on probabilities inside the log of the cross-entropy. */
const LOG_FLOOR = 1e-7;

/**
 * Weighted cross-entropy (mean over pixels) + soft Dice loss (1 − class-weighted mean Dice over the
 * batch), both on one-hot targets yTrue and softmax yPred of shape [B, H, W, C]. Dimensionless.
 * `sampleWeights` (one per slice of the batch) weigh each slice's pixels in both terms.
 */
export function segmentationLoss(yTrue: tf.Tensor4D, yPred: tf.Tensor4D, cfg: TrainConfig['loss'], sampleWeights?: readonly number[]): tf.Scalar {
  // one fused kernel (value and gradient) on the native-cpu route when no slice is weighted; the composition below otherwise
  const fused = sampleWeights ? undefined : fusedSegmentationLoss(yTrue, yPred, cfg, LOG_FLOOR);
  if (fused) return fused;
  return tf.tidy(() => {
    const w = tf.tensor1d(cfg.classWeights);
    const [b, h, wd] = yTrue.shape;
    const sw = sampleWeights ? tf.tensor4d([...sampleWeights], [b, 1, 1, 1]) : null;
    const weigh = (t: tf.Tensor) => (sw ? tf.mul(t, sw) : t);
    const pixels = (sampleWeights ? sampleWeights.reduce((a, v) => a + v, 0) : b) * h * wd;
    const logP = tf.log(tf.clipByValue(yPred, LOG_FLOOR, 1));
    const ce = tf.div(tf.neg(tf.sum(weigh(tf.mul(tf.mul(yTrue, logP), w)))), pixels);
    const axes = [0, 1, 2];
    const inter = tf.sum(weigh(tf.mul(yTrue, yPred)), axes);
    const denom = tf.add(tf.sum(weigh(yTrue), axes), tf.sum(weigh(yPred), axes));
    const dice = tf.div(tf.add(tf.mul(inter, 2), cfg.diceSmooth), tf.add(denom, cfg.diceSmooth));
    const weightSum = cfg.classWeights.reduce((a, b) => a + b, 0);
    const diceLoss = tf.sub(1, tf.div(tf.sum(tf.mul(dice, w)), weightSum));
    return tf.add(tf.mul(ce, cfg.crossEntropyWeight), tf.mul(diceLoss, cfg.diceWeight)) as tf.Scalar;
  });
}

/**
 * One-hot float32 [B, S, S, C] targets from label values, built on the CPU: tfjs's oneHot gives
 * int32, and the webgpu backend's int32→float32 cast keeps the int32 buffer under a float32 tensor,
 * which its Transpose kernel (in the loss gradient) then fails to compile.
 */
export function oneHotLabels(y: Uint8Array, batch: number, size: number, classes: number): tf.Tensor4D {
  const out = new Float32Array(y.length * classes);
  for (let i = 0; i < y.length; i++) if (y[i] < classes) out[i * classes + y[i]] = 1;
  return tf.tensor4d(out, [batch, size, size, classes]);
}

/** Loss weight per slice of a batch (corrected slices `weight`, others 1); undefined when all would be 1. */
export function correctedSampleWeights(batch: { corrected: readonly boolean[] }, weight: number): number[] | undefined {
  if (weight === 1 || !batch.corrected.some(Boolean)) return undefined;
  return batch.corrected.map((c) => (c ? weight : 1));
}
