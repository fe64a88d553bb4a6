import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { writeReviewPack } from '@covseg/pseudolabel';
import type { Stage } from '../stage.js';
import { pseudolabelDir } from './pseudolabelStage.js';

/** Overlay PNGs + index.html of random pseudo-labelled slices, for the paper's manual check. */
export const reviewStage: Stage = {
  name: 'review',
  describe: 'write the review pack (overlay PNGs + HTML gallery)',
  inputs: (ctx) => [join(pseudolabelDir(ctx.runDir), 'shards', 'index.json')],
  run: async (ctx) => {
    const out = join(ctx.runDir, 'review');
    rmSync(out, { recursive: true, force: true });
    const entries = writeReviewPack(join(pseudolabelDir(ctx.runDir), 'shards'), out, ctx.config.review);
    return { slices: entries.length };
  },
};
