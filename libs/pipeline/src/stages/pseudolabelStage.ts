import { digestPath } from '@covseg/io';
import { join } from 'node:path';
import { candidateFeatureExtractor, lungMasksFromDir, pseudolabelCohort, readKMeansModel } from '@covseg/pseudolabel';
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
    const model = readKMeansModel(kmeansFile(ctx.runDir));
    const extract = candidateFeatureExtractor(ctx.config.features, lungMasksFromDir(lungMaskDir(ctx.runDir)));
    const common = { model, extract, config: ctx.config.pseudolabel, quiet: ctx.quiet, onError: (id: string, e: string) => ctx.log(`[pseudolabel] skipped ${id}: ${e}`) };
    const held = await pseudolabelCohort(casesWithLungMask(ctx.runDir, 'heldOut').map((c) => ({ id: c.id, image: c.image! })), pseudolabelDir(ctx.runDir), { ...common, draw: false });
    const train = await pseudolabelCohort(casesWithLungMask(ctx.runDir, 'train').map((c) => ({ id: c.id, image: c.image! })), pseudolabelDir(ctx.runDir), { ...common, draw: true, meta: { kmeansDigest: digestPath(kmeansFile(ctx.runDir)) } });
    const failed = [...held.failed, ...train.failed];
    if (!train.shards && !train.alreadyDrawn) throw new Error(`pseudolabel: no shards drawn (${failed.length} case(s) failed)`);
    return { labelled: train.labelled.length + held.labelled.length, reused: train.reused.length + held.reused.length, failed: failed.length, slices: train.shards?.slices.length };
  },
};
