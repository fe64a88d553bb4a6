import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { writeReviewPack } from '@covseg/pseudolabel';
import type { Stage } from '../stage.js';
import { pseudolabelDir, pseudolabelShardsDir, reviewDir } from '../runLayout.js';

/** Overlay PNGs + index.html of random pseudo-labelled slices, for the paper's manual check. */
export const reviewStage: Stage = {
  name: 'review',
  describe: 'write the review pack (overlay PNGs + HTML gallery)',
  inputs: (ctx) => [join(pseudolabelDir(ctx.runDir), 'shards', 'index.json')],
  run: async (ctx) => {
    const out = reviewDir(ctx.runDir);
    rmSync(out, { recursive: true, force: true });
    const entries = writeReviewPack(pseudolabelShardsDir(ctx.runDir), out, ctx.config.review);
    return { slices: entries.length };
  },
};
