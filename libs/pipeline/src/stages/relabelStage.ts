import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { readCorrectedSlices } from '@covseg/io';
import { runRelabel } from '@covseg/inference';
import type { Stage } from '../stage.js';
import { runCases } from './ingestStage.js';

import { lungMaskProvider } from './lungMaskProvider.js';
import { pseudolabelShardsDir, modelDir, relabelDir } from '../runLayout.js';

/** Unet-A's corrected slices (none when its store is absent: Unet-A trained on another store). */
function correctedSlices(shardDir: string) {
  return existsSync(join(shardDir, 'index.json')) ? readCorrectedSlices(shardDir) : [];
}

/** Unet-A segments the training cases; N slices (healthy + lesion mix) become Unet-B's shard store. */
export const relabelStage: Stage = {
  name: 'relabel',
  describe: 'Unet-A segments the training cohort and draws a new shard store',
  inputs: (ctx) => [join(modelDir(ctx.runDir, 'unet-a'), 'weights.bin')],
  run: async (ctx) => {
    const { predict, relabel, pipeline } = ctx.config;
    const cases = runCases(ctx.runDir, 'train').map((c) => ({ id: c.id, image: c.image! }));
    const corrected = relabel.keepCorrected ? correctedSlices(pseudolabelShardsDir(ctx.runDir)) : [];
    const r = await runRelabel({
      cases, model: modelDir(ctx.runDir, 'unet-a'), out: relabelDir(ctx.runDir), config: { predict, relabel }, backend: pipeline.backend, threads: pipeline.threads, runtime: ctx.config.export.runtime,
      draw: true, corrected, lungMask: lungMaskProvider(ctx), quiet: ctx.quiet, log: ctx.log,
      onError: (id, e) => ctx.log(`[relabel] skipped ${id}: ${e}`),
    });
    if (r.failed.length === cases.length) throw new Error(`relabel: every case failed (${r.failed[0]?.error})`);
    return { segmented: r.segmented.length, reused: r.reused.length, failed: r.failed.length, slices: r.selection?.chosen.length, corrected: corrected.length };
  },
};
