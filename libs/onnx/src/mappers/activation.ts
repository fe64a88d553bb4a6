import { InputError } from '@covseg/io';
import type { LayerStep } from '../layerGraph.js';
import { attr, floatTensor, node } from '@covseg/inference';
import type { EmitContext, LayerMapper } from './context.js';

/** NCHW channel axis: the class/feature axis after the NHWC→NCHW change of layout. */
export const CHANNEL_AXIS = 1;

/** Activation functions (tfjs names) the exporter maps, with their ONNX op. */
const ACTIVATION_OPS: Record<string, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax' };

/** Emits `activation` from ONNX tensor `input` to `output` ('linear' as an Identity node). */
export function emitActivation(activation: string | undefined | null, input: string, output: string, step: LayerStep, ctx: EmitContext): void {
  const kind = activation ?? 'linear';
  if (kind === 'linear') {
    ctx.add(node('Identity', [input], [output], ctx.fresh(step, 'identity')));
    return;
  }
  const op = ACTIVATION_OPS[kind];
  if (!op) throw new InputError(`layer '${step.name}' (${step.className}) uses activation '${kind}', which the ONNX exporter cannot map (supported: linear, ${Object.keys(ACTIVATION_OPS).join(', ')})`);
  ctx.add(node(op, [input], [output], ctx.fresh(step, op.toLowerCase()), op === 'Softmax' ? [attr.int('axis', CHANNEL_AXIS)] : []));
}

/** True when a conv's fused activation needs a node of its own. */
export const hasActivation = (activation: string | undefined | null) => (activation ?? 'linear') !== 'linear';

/** Activation layer. */
export const mapActivation: LayerMapper = (step, _w, ctx) => {
  if ((step.config.activation ?? 'linear') === 'linear') return ctx.alias(step.output, step.inputs[0]);
  emitActivation(step.config.activation, ctx.tensor(step.inputs[0]), ctx.tensor(step.output), step, ctx);
};

/** ReLU layer (no max value: Relu; with one: Clip). */
export const mapRelu: LayerMapper = (step, _w, ctx) => {
  const max = step.config.maxValue;
  if (max === null || max === undefined) return emitActivation('relu', ctx.tensor(step.inputs[0]), ctx.tensor(step.output), step, ctx);
  const lo = ctx.initializer(floatTensor(ctx.fresh(step, 'min'), [], Float32Array.of(0)));
  const hi = ctx.initializer(floatTensor(ctx.fresh(step, 'max'), [], Float32Array.of(max)));
  ctx.add(node('Clip', [ctx.tensor(step.inputs[0]), lo, hi], [ctx.tensor(step.output)], ctx.fresh(step, 'clip')));
};

/** LeakyReLU layer. */
export const mapLeakyRelu: LayerMapper = (step, _w, ctx) => {
  ctx.add(node('LeakyRelu', [ctx.tensor(step.inputs[0])], [ctx.tensor(step.output)], ctx.fresh(step, 'leakyrelu'), [attr.float('alpha', step.config.alpha)]));
};

/** Softmax layer: only over the channel axis (tfjs -1 or 3 in NHWC = 1 in NCHW). */
export const mapSoftmax: LayerMapper = (step, _w, ctx) => {
  const axis = step.config.axis ?? -1;
  const axes = Array.isArray(axis) ? axis : [axis];
  if (axes.length !== 1 || (axes[0] !== -1 && axes[0] !== 3)) throw new InputError(`layer '${step.name}' (Softmax) normalises over axis ${JSON.stringify(axis)}; only the channel axis (-1) can be exported`);
  emitActivation('softmax', ctx.tensor(step.inputs[0]), ctx.tensor(step.output), step, ctx);
};
