import * as tf from '@tensorflow/tfjs';

/** A seeded miniature of the U-Net (conv+BN+relu, pool, transposed conv, concat, 1×1, softmax) for backend tests. */
export function tinyUnet(size = 16, filters = 4): tf.LayersModel {
  type S = tf.SymbolicTensor;
  let seed = 1;
  const init = () => tf.initializers.heNormal({ seed: seed++ });
  const conv = (x: S, f: number) => {
    const c = tf.layers.conv2d({ filters: f, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init() }).apply(x) as S;
    return tf.layers.activation({ activation: 'relu' }).apply(tf.layers.batchNormalization({ axis: -1 }).apply(c) as S) as S;
  };
  const input = tf.input({ shape: [size, size, 1] });
  const skip = conv(input, filters);
  const down = conv(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }).apply(skip) as S, filters * 2);
  const up = tf.layers.conv2dTranspose({ filters, kernelSize: 2, strides: 2, padding: 'same', kernelInitializer: init() }).apply(down) as S;
  const merged = conv(tf.layers.concatenate({ axis: -1 }).apply([skip, up]) as S, filters);
  const logits = tf.layers.conv2d({ filters: 5, kernelSize: 1, kernelInitializer: init() }).apply(merged) as S;
  return tf.model({ inputs: input, outputs: tf.layers.softmax({ axis: -1 }).apply(logits) as S });
}

/** Cross-entropy of the model on (x, one-hot y) in training mode. */
export function tinyLoss(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  const p = model.apply(x, { training: true }) as tf.Tensor;
  return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.add(p, 1e-7))), -1))) as tf.Scalar;
}

/** Deterministic batch for tinyUnet: images in [0,1) and one-hot labels. */
export function tinyBatch(size = 16, n = 2): { x: tf.Tensor; y: tf.Tensor } {
  const x = tf.tensor(Float32Array.from({ length: n * size * size }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1).map(Math.abs), [n, size, size, 1]);
  const labels = tf.tensor(Int32Array.from({ length: n * size * size }, (_, i) => (i * 7 + (i >> 4)) % 5), [n, size, size], 'int32');
  return { x, y: tf.oneHot(labels, 5).toFloat() };
}
