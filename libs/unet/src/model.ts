import * as tf from '@tensorflow/tfjs';
// the label table alone: io's barrel (volumes, DICOM, itk-wasm) would add ~20 MB of live heap, and GC time, to every training process that needs no I/O (the benches)
import { LABEL_COUNT, LABEL_NAMES } from '@covseg/io/labels';
import type { UnetConfig } from './config.js';

/** Output channels of every model: one per label value, in value order (io's label table). */
export const CLASS_NAMES = LABEL_NAMES;
export const CLASS_COUNT = LABEL_COUNT;

/**
 * 2D U-Net (tfjs layers) for [N, S, S, 1] inputs in [0, 1] → softmax [N, S, S, 5].
 * Uses only layers the ONNX exporter maps; every initialiser is seeded (seed + layer ordinal).
 */
export function buildUnet(cfg: UnetConfig): tf.LayersModel {
  let ordinal = 0;
  const init = () => tf.initializers.heNormal({ seed: cfg.seed * 1000 + ordinal++ });
  const conv = (x: tf.SymbolicTensor, filters: number, name: string) => {
    let y = tf.layers
      .conv2d({ filters, kernelSize: cfg.kernelSize, padding: 'same', useBias: !cfg.batchNorm, kernelInitializer: init(), name: `${name}_conv` })
      .apply(x) as tf.SymbolicTensor;
    if (cfg.batchNorm) y = tf.layers.batchNormalization({ axis: -1, momentum: cfg.batchNormMomentum, name: `${name}_bn` }).apply(y) as tf.SymbolicTensor;
    return tf.layers.activation({ activation: 'relu', name: `${name}_relu` }).apply(y) as tf.SymbolicTensor;
  };
  const block = (x: tf.SymbolicTensor, filters: number, name: string) => conv(conv(x, filters, `${name}a`), filters, `${name}b`);

  const input = tf.input({ shape: [cfg.inputSize, cfg.inputSize, 1], name: 'image' });
  const skips: tf.SymbolicTensor[] = [];
  let x = input;
  for (let level = 0; level < cfg.depth; level++) {
    x = block(x, cfg.baseFilters * 2 ** level, `enc${level}`);
    skips.push(x);
    x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `enc${level}_pool` }).apply(x) as tf.SymbolicTensor;
  }
  x = block(x, cfg.baseFilters * 2 ** cfg.depth, 'bottleneck');
  if (cfg.dropout > 0) x = tf.layers.dropout({ rate: cfg.dropout, seed: cfg.seed, name: 'bottleneck_dropout' }).apply(x) as tf.SymbolicTensor;
  for (let level = cfg.depth - 1; level >= 0; level--) {
    const filters = cfg.baseFilters * 2 ** level;
    const up =
      cfg.upsampling === 'transpose'
        ? tf.layers.conv2dTranspose({ filters, kernelSize: 2, strides: 2, padding: 'same', kernelInitializer: init(), name: `dec${level}_up` })
        : tf.layers.upSampling2d({ size: [2, 2], name: `dec${level}_up` });
    x = up.apply(x) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ axis: -1, name: `dec${level}_concat` }).apply([skips[level], x]) as tf.SymbolicTensor;
    x = block(x, filters, `dec${level}`);
  }
  const logits = tf.layers
    .conv2d({ filters: CLASS_COUNT, kernelSize: 1, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: cfg.seed * 1000 + ordinal++ }), name: 'logits' })
    .apply(x) as tf.SymbolicTensor;
  const probs = tf.layers.softmax({ axis: -1, name: 'probabilities' }).apply(logits) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: probs, name: 'unet' });
}

/** Dropout layers of a model: the trainer reseeds them each step so masks differ per step yet replay on resume. */
export function dropoutLayers(model: tf.LayersModel): { seed?: number }[] {
  return model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as { seed?: number }[];
}
