import { InputError } from '@covseg/io';
import { attr, node } from '@covseg/inference';
import type { LayerMapper } from './context.js';

const pair = (v: number | number[] | null | undefined, fallback: [number, number]): [number, number] => (v === undefined || v === null ? fallback : Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v]);

/** MaxPooling2D: kernel = poolSize, strides default to poolSize; 'valid' floors like ONNX's default, 'same' → SAME_UPPER. */
export const mapMaxPool: LayerMapper = (step, _w, ctx) => {
  if ((step.config.dataFormat ?? 'channelsLast') !== 'channelsLast') throw new InputError(`layer '${step.name}' (MaxPooling2D) uses dataFormat ${step.config.dataFormat}; only channelsLast can be exported`);
  const pool = pair(step.config.poolSize, [2, 2]);
  const strides = pair(step.config.strides, pool);
  const attrs = [attr.ints('kernel_shape', pool), attr.ints('strides', strides)];
  if (step.config.padding === 'same') attrs.push(attr.string('auto_pad', 'SAME_UPPER'));
  else if (step.config.padding !== 'valid') throw new InputError(`layer '${step.name}' (MaxPooling2D) uses padding '${step.config.padding}'`);
  ctx.add(node('MaxPool', [ctx.tensor(step.inputs[0])], [ctx.tensor(step.output)], ctx.fresh(step, 'maxpool'), attrs));
};
