import * as tf from '@tensorflow/tfjs';

/** Options of the U-Net fixture (same layer types as libs/unet's buildUnet, plus variants the exporter must handle). */
export interface ReferenceUnetOptions {
  depth: number;
  baseFilters: number;
  /** Square input size, or null for dynamic H and W. */
  inputSize: number | null;
  classes: number;
  upsampling: 'transpose' | 'upsample' | 'bilinear';
  batchNorm: boolean;
  dropout: number;
  /** Transposed-conv kernel (2 or 3; 3 exercises asymmetric 'same' pads). */
  transposeKernel: number;
  /** Put ReLU inside Conv2D (activation: 'relu') instead of a separate Activation layer after BN. */
  fusedRelu: boolean;
  /** End with a Softmax layer (true) or an Activation('softmax') layer (false). */
  softmaxLayer: boolean;
  seed: number;
}

export const REFERENCE_UNET: ReferenceUnetOptions = {
  depth: 2, baseFilters: 4, inputSize: 64, classes: 5, upsampling: 'transpose', batchNorm: true, dropout: 0.2,
  transposeKernel: 2, fusedRelu: false, softmaxLayer: true, seed: 1,
};

/** A seeded 2D U-Net for tests and benchmarks: [N, S, S, 1] → softmax [N, S, S, classes]. */
export function buildReferenceUnet(opts: Partial<ReferenceUnetOptions> = {}): tf.LayersModel {
  const o = { ...REFERENCE_UNET, ...opts };
  let ordinal = 0;
  const init = () => tf.initializers.heNormal({ seed: o.seed * 1000 + ordinal++ });
  const conv = (x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor => {
    if (o.fusedRelu && !o.batchNorm) return tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(), biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: ordinal++ }) }).apply(x) as tf.SymbolicTensor;
    let y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: !o.batchNorm || ordinal % 2 === 0, kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
    if (o.batchNorm) {
      const r = (lo: number, hi: number) => tf.initializers.randomUniform({ minval: lo, maxval: hi, seed: o.seed * 7 + ordinal++ });
      // non-trivial statistics so that folding is actually exercised
      y = tf.layers.batchNormalization({ gammaInitializer: r(0.5, 1.5), betaInitializer: r(-0.2, 0.2), movingMeanInitializer: r(-0.3, 0.3), movingVarianceInitializer: r(0.5, 2) }).apply(y) as tf.SymbolicTensor;
    }
    return tf.layers.activation({ activation: 'relu' }).apply(y) as tf.SymbolicTensor;
  };
  const block = (x: tf.SymbolicTensor, f: number) => conv(conv(x, f), f);
  const input = tf.input({ shape: [o.inputSize, o.inputSize, 1], name: 'image' });
  const skips: tf.SymbolicTensor[] = [];
  let x: tf.SymbolicTensor = input;
  for (let level = 0; level < o.depth; level++) {
    x = block(x, o.baseFilters * 2 ** level);
    skips.push(x);
    x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }).apply(x) as tf.SymbolicTensor;
  }
  x = block(x, o.baseFilters * 2 ** o.depth);
  if (o.dropout > 0) x = tf.layers.dropout({ rate: o.dropout, seed: o.seed }).apply(x) as tf.SymbolicTensor;
  for (let level = o.depth - 1; level >= 0; level--) {
    const filters = o.baseFilters * 2 ** level;
    const up =
      o.upsampling === 'transpose'
        ? tf.layers.conv2dTranspose({ filters, kernelSize: o.transposeKernel, strides: 2, padding: 'same', kernelInitializer: init(), biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: ordinal++ }) })
        : tf.layers.upSampling2d({ size: [2, 2], interpolation: o.upsampling === 'bilinear' ? 'bilinear' : 'nearest' });
    x = up.apply(x) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ axis: -1 }).apply([skips[level], x]) as tf.SymbolicTensor;
    x = block(x, filters);
  }
  const logits = tf.layers.conv2d({ filters: o.classes, kernelSize: 1, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed * 1000 + ordinal++ }) }).apply(x) as tf.SymbolicTensor;
  const probs = (o.softmaxLayer ? tf.layers.softmax({ axis: -1 }) : tf.layers.activation({ activation: 'softmax' })).apply(logits) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: probs });
}
