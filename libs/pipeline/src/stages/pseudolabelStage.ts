import { digestPath } from '@covseg/io';
import { runPseudolabel } from '@covseg/pseudolabel';
import type { Stage, StageContext } from '../stage.js';
import { casesWithLungMask } from './lungmaskStage.js';
import { lungMaskDir, kmeansFile, pseudolabelDir } from '../runLayout.js';

/**
 * Labels every case with the K-means model (+ cleaning); the slice shards are drawn from the training
 * cases only, the held-out cases are labelled for evaluation.
 */
export const pseudolabelStage: Stage = {
  name: 'pseudolabel',
  describe: 'pseudo-label every case and draw the training slice shards',
  inputs: (ctx) => [kmeansFile(ctx.runDir), lungMaskDir(ctx.runDir)],
  run: async (ctx: StageContext) => {
    const common = {
      kmeans: kmeansFile(ctx.runDir), out: pseudolabelDir(ctx.runDir), config: ctx.config, lungMasks: { dir: lungMaskDir(ctx.runDir) }, quiet: ctx.quiet,
      onError: (id: string, e: string) => ctx.log(`[pseudolabel] skipped ${id}: ${e}`),
    };
    const cases = (part: 'train' | 'heldOut') => casesWithLungMask(ctx.runDir, part).map((c) => ({ id: c.id, image: c.image! }));
    const held = await runPseudolabel({ ...common, cases: cases('heldOut'), draw: false });
    const train = await runPseudolabel({ ...common, cases: cases('train'), draw: true, meta: { kmeansDigest: digestPath(kmeansFile(ctx.runDir)) } });
    const failed = [...held.failed, ...train.failed];
    if (!train.shards && !train.alreadyDrawn) throw new Error(`pseudolabel: no shards drawn (${failed.length} case(s) failed)`);
    return { labelled: train.labelled.length + held.labelled.length, reused: train.reused.length + held.reused.length, failed: failed.length, slices: train.shards?.slices.length };
  },
};
