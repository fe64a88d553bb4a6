import { InputError } from '@covseg/io';
import type { LayerStep } from '../layerGraph.js';
import { CONV_KERNEL_TO_ONNX, CONV_TRANSPOSE_KERNEL_TO_ONNX, transposeArray } from '../layout.js';
import { attr, floatTensor, node } from '@covseg/inference';
import { sameConvPads, sameConvTransposePads } from '../padding.js';
import { foldIntoConv } from '../foldBatchNorm.js';
import { emitActivation, hasActivation } from './activation.js';
import type { ChannelAffine, EmitContext, LayerMapper, LayerWeights } from './context.js';

const pair = (v: number | number[] | undefined, fallback: number): [number, number] => (v === undefined ? [fallback, fallback] : Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v]);

function checkChannelsLast(step: LayerStep): void {
  if ((step.config.dataFormat ?? 'channelsLast') !== 'channelsLast') throw new InputError(`layer '${step.name}' (${step.className}) uses dataFormat ${step.config.dataFormat}; only channelsLast models can be exported`);
}

function kernelOf(step: LayerStep, w: LayerWeights) {
  const k = w.get('kernel');
  if (!k) throw new InputError(`layer '${step.name}' (${step.className}) has no kernel weight`);
  return k;
}

/** Writes weight + bias initializers and the conv node, then the fused activation; `fold` rescales the output channels. */
function emitConv(step: LayerStep, ctx: EmitContext, op: 'Conv' | 'ConvTranspose', kernel: { data: Float32Array; shape: number[] }, bias: Float32Array | undefined, attributes: ReturnType<typeof attr.ints>[], fold: ChannelAffine | undefined): void {
  const outChannelAxis = op === 'Conv' ? 0 : 1;
  const b = fold ? foldIntoConv(kernel.data, kernel.shape, outChannelAxis, bias, fold) : bias;
  const wName = ctx.initializer(floatTensor(ctx.fresh(step, 'weight'), kernel.shape, kernel.data));
  const inputs = [ctx.tensor(step.inputs[0]), wName];
  if (b) inputs.push(ctx.initializer(floatTensor(ctx.fresh(step, 'bias'), [b.length], b)));
  const activation = step.config.activation;
  const convOut = hasActivation(activation) ? ctx.fresh(step, 'preact') : ctx.tensor(step.output);
  ctx.add(node(op, inputs, [convOut], ctx.fresh(step, op.toLowerCase()), attributes));
  if (hasActivation(activation)) emitActivation(activation, convOut, ctx.tensor(step.output), step, ctx);
}

/** Conv2D: HWIO kernel → OIHW; 'same' → explicit TensorFlow pads (stride 1) or SAME_UPPER (strided). */
export const mapConv2D: LayerMapper = (step, w, ctx, fold) => {
  checkChannelsLast(step);
  const ks = pair(step.config.kernelSize, 1);
  const strides = pair(step.config.strides, 1);
  const dilation = pair(step.config.dilationRate, 1);
  const k = kernelOf(step, w);
  const kernel = transposeArray(k.data, k.shape, CONV_KERNEL_TO_ONNX);
  const attrs = [attr.ints('kernel_shape', ks), attr.ints('strides', strides), attr.ints('dilations', dilation)];
  if (step.config.padding === 'same') {
    if (strides[0] === 1 && strides[1] === 1) attrs.push(attr.ints('pads', sameConvPads(ks, dilation)));
    else attrs.push(attr.string('auto_pad', 'SAME_UPPER'));
  } else if (step.config.padding !== 'valid') throw new InputError(`layer '${step.name}' (Conv2D) uses padding '${step.config.padding}'; only 'same' and 'valid' can be exported`);
  emitConv(step, ctx, 'Conv', kernel, w.get('bias')?.data, attrs, fold);
};

/** Conv2DTranspose: tfjs kernel [kh, kw, out, in] → ONNX [in, out, kh, kw]; pads/output_padding reproduce tfjs output sizes. */
export const mapConv2DTranspose: LayerMapper = (step, w, ctx, fold) => {
  checkChannelsLast(step);
  const ks = pair(step.config.kernelSize, 1);
  const strides = pair(step.config.strides, 1);
  const dilation = pair(step.config.dilationRate, 1);
  if (dilation[0] !== 1 || dilation[1] !== 1) throw new InputError(`layer '${step.name}' (Conv2DTranspose) uses dilation ${dilation}; only 1 can be exported`);
  const k = kernelOf(step, w);
  const kernel = transposeArray(k.data, k.shape, CONV_TRANSPOSE_KERNEL_TO_ONNX);
  const pads = step.config.padding === 'same' ? sameConvTransposePads(ks, strides) : step.config.padding === 'valid' ? [0, 0, 0, 0] : null;
  if (!pads) throw new InputError(`layer '${step.name}' (Conv2DTranspose) uses padding '${step.config.padding}'; only 'same' and 'valid' can be exported`);
  // tfjs output = input·stride (+ kernel − stride when valid and kernel > stride); ONNX needs output_padding when kernel < stride
  const outputPadding = ks.map((kk, i) => Math.max(strides[i] - kk, 0));
  const attrs = [attr.ints('kernel_shape', ks), attr.ints('strides', strides), attr.ints('pads', pads), attr.ints('output_padding', outputPadding)];
  emitConv(step, ctx, 'ConvTranspose', kernel, w.get('bias')?.data, attrs, fold);
};
