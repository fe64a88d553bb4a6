import { InputError } from '@covseg/io';
import { attr, floatVector, node } from '@covseg/inference';
import type { LayerMapper } from './context.js';

/** tfjs interpolation → ONNX Resize mode; both use TensorFlow's legacy asymmetric coordinates (no half-pixel centres, no corner alignment). */
const RESIZE_MODES: Record<string, { mode: string; extra: ReturnType<typeof attr.string>[] }> = {
  nearest: { mode: 'nearest', extra: [attr.string('nearest_mode', 'floor')] },
  bilinear: { mode: 'linear', extra: [] },
};

/** UpSampling2D → Resize with constant scales [1, 1, sh, sw] (works for any input size). */
export const mapUpSampling: LayerMapper = (step, _w, ctx) => {
  if ((step.config.dataFormat ?? 'channelsLast') !== 'channelsLast') throw new InputError(`layer '${step.name}' (UpSampling2D) uses dataFormat ${step.config.dataFormat}; only channelsLast can be exported`);
  const interpolation = step.config.interpolation ?? 'nearest';
  const m = RESIZE_MODES[interpolation];
  if (!m) throw new InputError(`layer '${step.name}' (UpSampling2D) uses interpolation '${interpolation}'; supported: ${Object.keys(RESIZE_MODES).join(', ')}`);
  const size: number[] = Array.isArray(step.config.size) ? step.config.size : [step.config.size, step.config.size];
  const scales = ctx.initializer(floatVector(ctx.fresh(step, 'scales'), [1, 1, size[0], size[1]]));
  const attrs = [attr.string('mode', m.mode), attr.string('coordinate_transformation_mode', 'asymmetric'), ...m.extra];
  // '' = the optional roi input left out
  ctx.add(node('Resize', [ctx.tensor(step.inputs[0]), '', scales], [ctx.tensor(step.output)], ctx.fresh(step, 'resize'), attrs));
};
