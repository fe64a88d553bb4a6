import { join } from 'node:path';
import { startProgress } from '@covseg/io';
import { writePhantomCohort } from '@covseg/phantom';
import type { Stage } from '../stage.js';
import { phantomDir } from '../runLayout.js';

/** Generates the phantom cohort when the config names no inputs. */
export const phantomStage: Stage = {
  name: 'phantom',
  describe: 'generate the synthetic phantom cohort',
  enabled: (ctx) => ctx.config.pipeline.inputs.length === 0,
  inputs: () => [],
  run: async (ctx) => {
    const { pipeline, phantom } = ctx.config;
    const dir = phantomDir(ctx.runDir);
    const progress = startProgress('phantom', pipeline.phantomCases, { quiet: ctx.quiet });
    const cases = await writePhantomCohort(dir, phantom, { cases: pipeline.phantomCases, seed: pipeline.phantomSeed, onCase: () => progress.tick() });
    progress.stop();
    return { cases: cases.length, healthy: cases.filter((c) => c.info.healthy).length };
  },
};
