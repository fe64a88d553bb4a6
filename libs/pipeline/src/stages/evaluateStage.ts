import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomicSync, writeJsonAtomic } from '@covseg/io';
import { evaluateLabels, perCaseCsv, resolveMap, writeSummary, type ValueMap } from '@covseg/unet';
import { writeLesionBudget } from './lesionBudgetOfRun.js';
import { evaluationTablesMarkdown, tablesFile } from '../report/evaluationTables.js';
import type { Stage, StageContext } from '../stage.js';
import { runCases } from './ingestStage.js';
import { onnxFile } from './exportStage.js';
import { predictHeldOut, predictionsDir } from './predictStage.js';

export const summaryFile = (runDir: string) => join(runDir, 'evaluate', 'summary.json');
/** Per-case (per-image) scores of one model: DIR/evaluate/<model>-per-case.{csv,json}. */
export const perCaseFile = (runDir: string, model: string, ext: 'csv' | 'json' = 'csv') => join(runDir, 'evaluate', `${model}-per-case.${ext}`);
/** The label sources `evaluate` scores, in order: [name, folder of label maps]. */
export const evaluatedSources = (runDir: string): [string, string][] => [
  ['pseudolabel', join(runDir, 'pseudolabel', 'labels')],
  ['unet-a', predictionsDir(runDir, 'unet-a')],
  ['unet-b', predictionsDir(runDir, 'unet-b')],
];

/** A folder of copies <case>.nii.gz of the reference labels of the held-out cases (so evaluation pairs only those). */
function heldOutTruth(ctx: StageContext): string {
  const dir = join(ctx.runDir, 'evaluate', 'truth');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const c of runCases(ctx.runDir, 'heldOut')) if (c.label) copyFileSync(c.label, join(dir, `${c.id}.nii.gz`)); // copies: itk-wasm cannot read through symlinks
  return dir;
}

/** What the models are scored against: configured expert labels (with their value map), or the held-out truth. */
export function referenceOf(ctx: StageContext): { dir: string; map?: ValueMap } {
  const ref = ctx.config.pipeline.reference;
  if (ref) return { dir: resolve(ref.labels), map: resolveMap(ref.map, ctx.config.evaluate) };
  return { dir: heldOutTruth(ctx) };
}

/**
 * Dice / IoU / sensitivity / specificity / volume error per class and the pooled confusion matrix for the
 * pseudo-labels, Unet-A and Unet-B: against the held-out cases' labels, or against `pipeline.reference` (per
 * image, then mean, as COVID-SemiSeg); then the lesion budget (lesion-budget.json) and both as Markdown (tables.md).
 */
export const evaluateStage: Stage = {
  name: 'evaluate',
  describe: 'score pseudo-labels, Unet-A and Unet-B against the reference labels (held-out truth or pipeline.reference)',
  enabled: (ctx) => !!ctx.config.pipeline.reference || runCases(ctx.runDir, 'heldOut').some((c) => c.label),
  inputs: (ctx) => [onnxFile(ctx.runDir, 'unet-a'), onnxFile(ctx.runDir, 'unet-b'), join(ctx.runDir, 'predict'), ...(ctx.config.pipeline.reference ? [resolve(ctx.config.pipeline.reference.labels)] : [])],
  run: async (ctx) => {
    const ref = referenceOf(ctx);
    rmSync(summaryFile(ctx.runDir), { force: true });
    await predictHeldOut(ctx, 'unet-a', ctx.config.pipeline.predictCases);
    const out: Record<string, unknown> = {};
    for (const [name, dir] of evaluatedSources(ctx.runDir)) {
      if (!existsSync(dir)) continue;
      const e = await evaluateLabels(dir, ref.dir, ctx.config.evaluate, ref.map);
      writeSummary(summaryFile(ctx.runDir), name, e);
      writeFileAtomicSync(perCaseFile(ctx.runDir, name), perCaseCsv(e));
      writeJsonAtomic(perCaseFile(ctx.runDir, name, 'json'), e.cases);
      out[name] = Object.fromEntries(e.classes.map((c) => [c, e.aggregate[c]?.dice.mean]));
    }
    const budget = await writeLesionBudget(ctx, ref, evaluatedSources(ctx.runDir));
    writeFileAtomicSync(tablesFile(ctx.runDir), evaluationTablesMarkdown(ctx.runDir));
    return { ...out, ...(budget ? { lesionBudgetCases: budget.cases.length } : {}) };
  },
};
