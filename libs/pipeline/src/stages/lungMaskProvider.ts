import type { Volume } from '@covseg/io';
import type { StageContext } from '../stage.js';

/** The lung mask used by inference stages (labels outside it → 0); none until libs/features provides one. */
export function lungMaskProvider(_ctx: StageContext): ((v: Volume) => Uint8Array | Promise<Uint8Array>) | undefined {
  return undefined;
}
