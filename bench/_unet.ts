// The U-Net the training benches time: libs/unet's buildUnet when it loads, else the same architecture built here.
type Tf = typeof import('@tensorflow/tfjs');
type LayersModel = import('@tensorflow/tfjs').LayersModel;

/** A U-Net of `depth` poolings and `base` first-level filters for size² inputs and `classes` softmax outputs. */
export async function benchUnet(tf: Tf, size: number, depth: number, base: number, classes: number): Promise<{ model: LayersModel; builder: string }> {
  try {
    const { buildUnet } = await import('../libs/unet/src/model.js');
    const model = buildUnet({ inputSize: size, depth, baseFilters: base, kernelSize: 3, batchNorm: true, batchNormMomentum: 0.99, dropout: 0, upsampling: 'transpose', seed: 1 } as never);
    return { model, builder: 'libs/unet buildUnet' };
  } catch {
    return { model: localUnet(tf, size, depth, base, classes), builder: 'bench local U-Net' };
  }
}

function localUnet(tf: Tf, size: number, depth: number, base: number, classes: number): LayersModel {
  type S = import('@tensorflow/tfjs').SymbolicTensor;
  const conv = (x: S, f: number) => {
    const c = tf.layers.conv2d({ filters: f, kernelSize: 3, padding: 'same', useBias: false }).apply(x) as S;
    const b = tf.layers.batchNormalization({ axis: -1 }).apply(c) as S;
    return tf.layers.activation({ activation: 'relu' }).apply(b) as S;
  };
  const input = tf.input({ shape: [size, size, 1] });
  const skips: S[] = [];
  let x: S = input;
  for (let l = 0; l < depth; l++) {
    x = conv(conv(x, base * 2 ** l), base * 2 ** l);
    skips.push(x);
    x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }).apply(x) as S;
  }
  x = conv(conv(x, base * 2 ** depth), base * 2 ** depth);
  for (let l = depth - 1; l >= 0; l--) {
    const up = tf.layers.conv2dTranspose({ filters: base * 2 ** l, kernelSize: 2, strides: 2, padding: 'same' }).apply(x) as S;
    x = tf.layers.concatenate({ axis: -1 }).apply([skips[l], up]) as S;
    x = conv(conv(x, base * 2 ** l), base * 2 ** l);
  }
  const logits = tf.layers.conv2d({ filters: classes, kernelSize: 1 }).apply(x) as S;
  return tf.model({ inputs: input, outputs: tf.layers.softmax({ axis: -1 }).apply(logits) as S });
}
