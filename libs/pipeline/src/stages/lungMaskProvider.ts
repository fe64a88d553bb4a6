import { lungMask } from '@covseg/features';
import type { Volume } from '@covseg/io';
import type { StageContext } from '../stage.js';

/**
 * The lung mask used by inference stages (labels outside it → 0 per predict.postprocess): the classical mask of
 * the run's config; where it finds no lungs the prediction is left unmasked rather than erased.
 */
export function lungMaskProvider(ctx: StageContext): (v: Volume) => Uint8Array | undefined {
  return (v) => {
    try {
      return lungMask(v, ctx.config.lungmask).data;
    } catch (e) {
      ctx.log(`[predict] no lung mask (${(e as Error).message.split('\n')[0]}): prediction left unmasked`);
      return undefined;
    }
  };
}
