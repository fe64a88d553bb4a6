import { InputError } from '@covseg/io';
import { attr, node } from '@covseg/inference';
import type { LayerMapper } from './context.js';

/** NHWC axis → NCHW axis (rank-4 tensors). */
export function nchwAxis(nhwcAxis: number): number {
  const a = nhwcAxis < 0 ? nhwcAxis + 4 : nhwcAxis;
  const map = [0, 2, 3, 1];
  if (!(a in map)) throw new InputError(`axis ${nhwcAxis} is out of range for a rank-4 tensor`);
  return map[a];
}

/** Concatenate (skip connections): the channel axis −1 becomes 1. */
export const mapConcatenate: LayerMapper = (step, _w, ctx) => {
  ctx.add(node('Concat', step.inputs.map((t) => ctx.tensor(t)), [ctx.tensor(step.output)], ctx.fresh(step, 'concat'), [attr.int('axis', nchwAxis(step.config.axis ?? -1))]));
};

/** Add (residual connections). */
export const mapAdd: LayerMapper = (step, _w, ctx) => {
  const [first, ...rest] = step.inputs.map((t) => ctx.tensor(t));
  let acc = first;
  rest.forEach((t, i) => {
    const out = i === rest.length - 1 ? ctx.tensor(step.output) : ctx.fresh(step, `sum${i}`);
    ctx.add(node('Add', [acc, t], [out], ctx.fresh(step, `add${i}`)));
    acc = out;
  });
};
