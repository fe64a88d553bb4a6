import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readVolume, startProgress, stopRequested, throwIfStopRequested } from '@covseg/io';
import { writeLungMask } from '@covseg/features';
import type { Stage } from '../stage.js';
import { runCases } from './ingestStage.js';
import { cohortFile, lungMaskDir } from '../runLayout.js';

/** Cases (of one split, or all) whose lung mask exists: a case without lungs (abdomen slice) is left out downstream. */
export const casesWithLungMask = (runDir: string, part?: 'train' | 'heldOut') => runCases(runDir, part).filter((c) => existsSync(join(lungMaskDir(runDir), `${c.id}.nii.gz`)));

/** Classical 3D lung mask of every usable case (resumable: an existing mask file is a finished case). */
export const lungmaskStage: Stage = {
  name: 'lungmask',
  describe: 'classical lung mask of every case (3D, or crop-tolerant 2D for single slices)',
  inputs: (ctx) => [cohortFile(ctx.runDir)],
  run: async (ctx) => {
    const cases = runCases(ctx.runDir);
    const progress = startProgress('lungmask', cases.length, { quiet: ctx.quiet });
    let made = 0, reused = 0;
    const failed: string[] = [];
    for (const c of cases) {
      if (stopRequested()) progress.stop();
      throwIfStopRequested();
      const out = join(lungMaskDir(ctx.runDir), `${c.id}.nii.gz`);
      if (existsSync(out)) reused++;
      else {
        try {
          await writeLungMask(await readVolume(c.image!, { allow2D: true }), out, ctx.config.lungmask);
          made++;
        } catch (e) {
          failed.push(c.id);
          ctx.log(`[lungmask] ${c.id}: ${(e as Error).message.split('\n')[0]}`);
        }
      }
      progress.tick(c.id);
    }
    progress.stop();
    if (failed.length === cases.length) throw new Error(`lungmask failed for every case (${failed.length})`);
    return { made, reused, failed: failed.length };
  },
};
