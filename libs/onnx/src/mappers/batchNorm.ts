import { InputError } from '@covseg/io';
import { batchNormAffine, isChannelBatchNorm } from '../foldBatchNorm.js';
import { attr, floatTensor, node } from '@covseg/inference';
import type { LayerMapper } from './context.js';

/** A BatchNormalization that could not be folded: ONNX BatchNormalization with tfjs's epsilon written explicitly (ONNX defaults to 1e-5). */
export const mapBatchNorm: LayerMapper = (step, w, ctx) => {
  if (!isChannelBatchNorm(step)) throw new InputError(`layer '${step.name}' (BatchNormalization) normalises axis ${JSON.stringify(step.config.axis)}; only the channel axis (-1) can be exported`);
  batchNormAffine(step, w); // validates that the moving statistics exist
  const mean = w.get('moving_mean')!.data;
  const c = mean.length;
  // scale/center turned off in tfjs mean γ = 1 / β = 0
  const gamma = w.get('gamma')?.data ?? new Float32Array(c).fill(1);
  const beta = w.get('beta')?.data ?? new Float32Array(c);
  const inputs = [
    ctx.tensor(step.inputs[0]),
    ctx.initializer(floatTensor(ctx.fresh(step, 'gamma'), [c], gamma)),
    ctx.initializer(floatTensor(ctx.fresh(step, 'beta'), [c], beta)),
    ctx.initializer(floatTensor(ctx.fresh(step, 'mean'), [c], mean)),
    ctx.initializer(floatTensor(ctx.fresh(step, 'var'), [c], w.get('moving_variance')!.data)),
  ];
  ctx.add(node('BatchNormalization', inputs, [ctx.tensor(step.output)], ctx.fresh(step, 'batchnorm'), [attr.float('epsilon', step.config.epsilon)]));
};
