import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { mergeShardStores } from '@covseg/io';
import { runTraining } from '@covseg/unet';
import type { Stage, StageContext } from '../stage.js';
import { modelDir, trainingShardsDir } from '../runLayout.js';

/** Extra shard stores (pipeline.extraTrainingShards) that join Unet-A's slices, e.g. a phantom run's pseudo-labels. */
const extraShards = (ctx: StageContext, name: string) => (name === 'unet-a' ? ctx.config.pipeline.extraTrainingShards.map((d) => resolve(d)) : []);

/** The store a U-Net trains on: the stage's own, or its merge with the extra stores (DIR/<name>/training-shards). */
function trainingShards(ctx: StageContext, name: 'unet-a' | 'unet-b', own: string): string {
  const extra = extraShards(ctx, name);
  if (!extra.length) return own;
  const merged = trainingShardsDir(ctx.runDir, name);
  if (!existsSync(join(merged, 'index.json'))) {
    const idx = mergeShardStores([own, ...extra], merged, { meta: { stage: name } });
    ctx.log(`[${name}] training on ${idx.slices.length} slices: ${own} + ${extra.join(', ')}`);
  }
  return merged;
}

/** Unet-B starts from Unet-A's weights when pipeline.unetBStart is 'unet-a'. */
const initialWeights = (ctx: StageContext, name: 'unet-a' | 'unet-b') => (name === 'unet-b' && ctx.config.pipeline.unetBStart === 'unet-a' ? modelDir(ctx.runDir, 'unet-a') : undefined);

/** Trains a U-Net on a shard store; resumes from its last checkpoint after an interruption. */
export function trainStage(name: 'unet-a' | 'unet-b', shards: (ctx: StageContext) => string, describe: string): Stage {
  return {
    name,
    describe,
    inputs: (ctx) => [join(shards(ctx), 'index.json'), ...extraShards(ctx, name).map((d) => join(d, 'index.json')), ...(initialWeights(ctx, name) ? [join(initialWeights(ctx, name)!, 'weights.bin')] : [])],
    run: async (ctx) => {
      const { unet, augment } = ctx.config;
      const train = name === 'unet-b' ? { ...ctx.config.train, ...ctx.config.pipeline.unetBTrain } : ctx.config.train;
      // interrupted: a checkpoint of the last finished step is saved; no done.json, so a rerun resumes from it
      const r = await runTraining({
        shards: trainingShards(ctx, name, shards(ctx)), out: modelDir(ctx.runDir, name), name, sections: { unet, augment, train },
        backend: ctx.config.pipeline.backend, threads: ctx.config.pipeline.threads, resume: true, initialWeights: initialWeights(ctx, name), quiet: ctx.quiet, log: ctx.log,
      });
      return { status: r.status, epochs: r.epochs, bestEpoch: r.bestEpoch, bestLesionDice: r.bestScore };
    },
  };
}
