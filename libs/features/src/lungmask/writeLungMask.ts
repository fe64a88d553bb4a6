import { aboutFile, readLabelVolume, writeLabelVolume, type LabelVolume, type Volume } from '@covseg/io';
import type { LungmaskConfig } from '../config.js';
import { importLungMask } from './importMask.js';
import { lungMask, type LungMaskInfo } from './lungMask.js';

/**
 * The body of `covseg lungmask` and of the pipeline's lungmask stage (per case): the classical lung mask of
 * `image`, or the external mask `importFrom` checked against its grid, written to `out` (uint8, 1 = lung).
 * `input`, the file the image was read from, is named in input errors that name none.
 */
export async function writeLungMask(image: Volume, out: string, cfg: LungmaskConfig, opts: { input?: string; importFrom?: string } = {}): Promise<{ mask: LabelVolume; info: Partial<LungMaskInfo> }> {
  const info: Partial<LungMaskInfo> = {};
  const compute = () => lungMask(image, cfg, info);
  const mask = opts.importFrom ? importLungMask(await readLabelVolume(opts.importFrom), image, opts.importFrom) : opts.input ? aboutFile(opts.input, compute) : compute();
  await writeLabelVolume(out, mask);
  return { mask, info };
}
