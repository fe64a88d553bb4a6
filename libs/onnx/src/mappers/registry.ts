import { mapActivation, mapLeakyRelu, mapRelu, mapSoftmax } from './activation.js';
import { mapBatchNorm } from './batchNorm.js';
import { mapAdd, mapConcatenate } from './concatenate.js';
import type { LayerMapper } from './context.js';
import { mapConv2D, mapConv2DTranspose } from './conv.js';
import { mapMaxPool } from './pooling.js';
import { mapUpSampling } from './upsampling.js';

/** Layers that are the identity at inference (training-time regularisers): their output aliases their input. */
const mapIdentity: LayerMapper = (step, _w, ctx) => ctx.alias(step.output, step.inputs[0]);

/** tfjs layer class name → mapper. Anything else is refused with the layer named. */
export const LAYER_MAPPERS: Record<string, LayerMapper> = {
  Conv2D: mapConv2D,
  Conv2DTranspose: mapConv2DTranspose,
  BatchNormalization: mapBatchNorm,
  Activation: mapActivation,
  ReLU: mapRelu,
  LeakyReLU: mapLeakyRelu,
  Softmax: mapSoftmax,
  MaxPooling2D: mapMaxPool,
  UpSampling2D: mapUpSampling,
  Concatenate: mapConcatenate,
  Add: mapAdd,
  Dropout: mapIdentity,
  SpatialDropout2D: mapIdentity,
  GaussianNoise: mapIdentity,
  GaussianDropout: mapIdentity,
};
