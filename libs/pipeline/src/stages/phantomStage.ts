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
    const cases = await writePhantomCohort(dir, phantom, { cases: pipeline.phantomCases, seed: pipeline.phantomSeed, progress: { quiet: ctx.quiet } });
    return { cases: cases.length, healthy: cases.filter((c) => c.info.healthy).length };
  },
};
