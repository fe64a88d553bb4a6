import { join } from 'node:path';
import { activateBackend, trainUnet } from '@covseg/unet';
import type { Stage, StageContext } from '../stage.js';

/** Model folder of a trained U-Net in a run. */
export const modelDir = (runDir: string, name: 'unet-a' | 'unet-b') => join(runDir, name);

/** Trains a U-Net on a shard store; resumes from its last checkpoint after an interruption. */
export function trainStage(name: 'unet-a' | 'unet-b', shards: (ctx: StageContext) => string, describe: string): Stage {
  return {
    name,
    describe,
    inputs: (ctx) => [join(shards(ctx), 'index.json')],
    run: async (ctx) => {
      const { unet, augment, train } = ctx.config;
      const backend = await activateBackend(ctx.config.pipeline.backend, ctx.log);
      const r = await trainUnet({
        shards: shards(ctx), out: modelDir(ctx.runDir, name), name, sections: { unet, augment, train },
        resume: true, progress: !ctx.quiet, backend, log: ctx.log,
      });
      if (r.status === 'interrupted') throw new Error(`${name}: training interrupted; rerun the pipeline to resume`);
      return { status: r.status, epochs: r.epochs, bestEpoch: r.bestEpoch, bestLesionDice: r.bestScore };
    },
  };
}
