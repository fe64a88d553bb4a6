import { join } from 'node:path';
import { importCorrections } from '@covseg/pseudolabel';
import type { Stage } from '../stage.js';
import { pseudolabelShardsDir } from '../runLayout.js';

/** Replaces pseudo-labelled slices with hand-corrected ones when `pipeline.corrections` names them. */
export const importCorrectionsStage: Stage = {
  name: 'import-corrections',
  describe: 'import hand-corrected slices into the pseudo-label shards',
  enabled: (ctx) => ctx.config.pipeline.corrections !== null,
  inputs: (ctx) => [ctx.config.pipeline.corrections!],
  run: async (ctx) => {
    const r = await importCorrections(pseudolabelShardsDir(ctx.runDir), ctx.config.pipeline.corrections!, { colourTolerance: ctx.config.review.colourTolerance });
    return { replaced: r.replaced.length, unchanged: r.unchanged.length };
  },
};
