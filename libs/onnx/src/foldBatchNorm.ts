import { InputError } from '@covseg/io';
import type { LayerGraph, LayerStep } from './layerGraph.js';
import { tensorReaders } from './layerGraph.js';
import type { ChannelAffine, LayerWeights } from './mappers/context.js';

/** Conv layers a following BatchNormalization can be folded into. */
const FOLDABLE_CONVS = new Set(['Conv2D', 'Conv2DTranspose']);

/** True when a BatchNormalization normalises the channel axis (NHWC -1 or 3). */
export function isChannelBatchNorm(step: LayerStep): boolean {
  const axis = Array.isArray(step.config.axis) ? step.config.axis : [step.config.axis ?? -1];
  return axis.length === 1 && (axis[0] === -1 || axis[0] === 3);
}

/**
 * BatchNormalizations that can be folded: conv name → BN step. Folding needs the BN to read a
 * Conv2D/Conv2DTranspose with a linear activation whose output nothing else reads.
 */
export function foldableBatchNorms(graph: LayerGraph): Map<string, LayerStep> {
  const producers = new Map(graph.steps.map((s) => [s.output, s]));
  const readers = tensorReaders(graph);
  const folds = new Map<string, LayerStep>();
  for (const s of graph.steps) {
    if (s.className !== 'BatchNormalization' || !isChannelBatchNorm(s)) continue;
    const conv = producers.get(s.inputs[0]);
    if (!conv || !FOLDABLE_CONVS.has(conv.className)) continue;
    if ((conv.config.activation ?? 'linear') !== 'linear' || readers.get(conv.output) !== 1) continue;
    folds.set(conv.name, s);
  }
  return folds;
}

/** The per-channel affine of an inference-mode BatchNormalization: scale = γ/√(σ²+ε), shift = β − μ·scale. */
export function batchNormAffine(step: LayerStep, w: LayerWeights): ChannelAffine {
  const mean = w.get('moving_mean')?.data;
  const variance = w.get('moving_variance')?.data;
  if (!mean || !variance) throw new InputError(`layer '${step.name}' (BatchNormalization) has no moving mean/variance weights`);
  const eps: number = step.config.epsilon;
  const gamma = w.get('gamma')?.data;
  const beta = w.get('beta')?.data;
  const c = mean.length;
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    scale[i] = (gamma ? gamma[i] : 1) / Math.sqrt(variance[i] + eps);
    shift[i] = (beta ? beta[i] : 0) - mean[i] * scale[i];
  }
  return { scale, shift };
}

/**
 * Applies a channel affine to conv weights in ONNX layout, in place: `channelAxis` 0 for Conv
 * [O, I, kh, kw], 1 for ConvTranspose [I, O, kh, kw]. Returns the new bias (float32).
 */
export function foldIntoConv(kernel: Float32Array, shape: readonly number[], channelAxis: 0 | 1, bias: Float32Array | undefined, affine: ChannelAffine): Float32Array {
  const channels = shape[channelAxis];
  const inner = shape.slice(channelAxis + 1).reduce((a, b) => a * b, 1);
  for (let i = 0; i < kernel.length; i++) kernel[i] = kernel[i] * affine.scale[Math.floor(i / inner) % channels];
  const out = new Float32Array(channels);
  for (let o = 0; o < channels; o++) out[o] = (bias ? bias[o] : 0) * affine.scale[o] + affine.shift[o];
  return out;
}
