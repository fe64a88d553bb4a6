import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateLabels, writeSummary } from '@covseg/unet';
import type { Stage, StageContext } from '../stage.js';
import { runCases } from './ingestStage.js';
import { onnxFile } from './exportStage.js';
import { predictHeldOut, predictionsDir } from './predictStage.js';

export const summaryFile = (runDir: string) => join(runDir, 'evaluate', 'summary.json');

/** A folder of copies <case>.nii.gz of the reference labels of the held-out cases (so evaluation pairs only those). */
function heldOutTruth(ctx: StageContext): string {
  const dir = join(ctx.runDir, 'evaluate', 'truth');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const c of runCases(ctx.runDir, 'heldOut')) if (c.label) copyFileSync(c.label, join(dir, `${c.id}.nii.gz`)); // copies: itk-wasm cannot read through symlinks
  return dir;
}

/** Dice / IoU / volume error per class on the held-out cases for the pseudo-labels, Unet-A and Unet-B. */
export const evaluateStage: Stage = {
  name: 'evaluate',
  describe: 'score pseudo-labels, Unet-A and Unet-B against the reference labels of the held-out cases',
  enabled: (ctx) => runCases(ctx.runDir, 'heldOut').some((c) => c.label),
  inputs: (ctx) => [onnxFile(ctx.runDir, 'unet-a'), onnxFile(ctx.runDir, 'unet-b'), join(ctx.runDir, 'predict')],
  run: async (ctx) => {
    const truth = heldOutTruth(ctx);
    rmSync(summaryFile(ctx.runDir), { force: true });
    await predictHeldOut(ctx, 'unet-a');
    const sources: [string, string][] = [
      ['pseudolabel', join(ctx.runDir, 'pseudolabel', 'labels')],
      ['unet-a', predictionsDir(ctx.runDir, 'unet-a')],
      ['unet-b', predictionsDir(ctx.runDir, 'unet-b')],
    ];
    const out: Record<string, unknown> = {};
    for (const [name, dir] of sources) {
      if (!existsSync(dir)) continue;
      const e = await evaluateLabels(dir, truth, ctx.config.evaluate);
      writeSummary(summaryFile(ctx.runDir), name, e);
      out[name] = Object.fromEntries(e.classes.map((c) => [c, e.aggregate[c]?.dice.mean]));
    }
    return out;
  },
};
