import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readLabelVolume, readVolume, writeFileAtomicSync, writeJsonAtomic, writeLabelVolume } from '@covseg/io';
import { evaluateLabels, evaluateSliceCase, huBaselineLabels, labelFilesOf, perCaseCsv, pooledSliceScores, resolveMap, writeSummary, type SliceCaseEvaluation, type ValueMap } from '@covseg/evaluate';
import { writeLesionBudget } from './lesionBudgetOfRun.js';
import { evaluationTablesMarkdown } from '../report/evaluationTables.js';
import type { Stage, StageContext } from '../stage.js';
import { runCases } from './ingestStage.js';

import { predictHeldOut } from './predictStage.js';
import { lungMaskDir, pseudolabelLabelsDir, onnxFile, predictionsDir, summaryFile, perCaseFile, sliceScoresFile, tablesFile, truthDir } from '../runLayout.js';

/** The crude HU baseline's label maps (no model): DIR/evaluate/hu-baseline/<case>.nii.gz. */
export const huBaselineDir = (runDir: string) => join(runDir, 'evaluate', 'hu-baseline');
/** The label sources `evaluate` scores, in order: [name, folder of label maps]. */
export const evaluatedSources = (runDir: string): [string, string][] => [
  ['pseudolabel', pseudolabelLabelsDir(runDir)],
  ['unet-a', predictionsDir(runDir, 'unet-a')],
  ['unet-b', predictionsDir(runDir, 'unet-b')],
  ['hu-baseline', huBaselineDir(runDir)],
];

/** Writes the HU baseline (evaluate.baseline) of every case that has a reference and a lung mask, for scoring beside the models. */
async function writeHuBaselines(ctx: StageContext, refDir: string): Promise<void> {
  const dir = huBaselineDir(ctx.runDir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const refs = labelFilesOf(refDir);
  for (const c of runCases(ctx.runDir)) {
    const lung = join(lungMaskDir(ctx.runDir), `${c.id}.nii.gz`);
    if (!refs.has(c.id) || !c.image || !existsSync(lung)) continue;
    const ct = await readVolume(c.image, { allow2D: true });
    await writeLabelVolume(join(dir, `${c.id}.nii.gz`), huBaselineLabels(ct, (await readLabelVolume(lung)).data, ctx.config.evaluate.baseline));
  }
}

/** A folder of copies <case>.nii.gz of the reference labels of the held-out cases (so evaluation pairs only those). */
function heldOutTruth(ctx: StageContext): string {
  const dir = truthDir(ctx.runDir);
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

/** Slice-level scores of every `pipeline.sliceLabels` case: pseudo-labels, Unet-B's prediction and the HU baseline; pooled over cases. */
async function scoreSliceLabels(ctx: StageContext): Promise<Record<string, unknown>> {
  const cases = runCases(ctx.runDir);
  const cfg = ctx.config.evaluate.slices;
  const evals: SliceCaseEvaluation[] = [];
  for (const entry of ctx.config.pipeline.sliceLabels) {
    const c = cases.find((k) => resolve(k.source) === resolve(entry.input));
    if (!c) throw new Error(`pipeline.sliceLabels: ${entry.input} is not a case of the cohort (not in pipeline.inputs, or not ingested)`);
    const preds: Record<string, string> = {};
    for (const [name, file] of [['pseudolabel', join(pseudolabelLabelsDir(ctx.runDir), `${c.id}.nii.gz`)], ['unet-b', join(predictionsDir(ctx.runDir, 'unet-b'), c.id, 'labels.nii.gz')]])
      if (existsSync(file)) preds[name] = file;
    const lung = join(lungMaskDir(ctx.runDir), `${c.id}.nii.gz`);
    evals.push(await evaluateSliceCase({ case: c.id, preds, csv: entry.csv, ...(c.image && existsSync(lung) ? { ct: c.image, lung } : {}) }, cfg, ctx.config.evaluate.baseline));
  }
  const sources = [...new Set(evals.flatMap((e) => Object.keys(e.sources)))];
  const pooled = Object.fromEntries(sources.map((s) => [s, pooledSliceScores(evals, s, cfg)]));
  writeJsonAtomic(sliceScoresFile(ctx.runDir), { thresholdMm2: cfg.lesionAreaThresholdMm2, cases: evals.map((e, i) => ({ ...e, csv: ctx.config.pipeline.sliceLabels[i].csv })), pooled });
  return Object.fromEntries(sources.map((s) => [`slices ${s} AUC`, pooled[s].auc]));
}

/** True when voxel labels are there to score: configured expert labels, or held-out cases with labels. */
const hasVoxelReference = (ctx: StageContext) => !!ctx.config.pipeline.reference || runCases(ctx.runDir, 'heldOut').some((c) => c.label);

/**
 * Dice / IoU / sensitivity / specificity / volume error per class and the pooled confusion matrix for the
 * pseudo-labels, Unet-A, Unet-B and the crude HU baseline (lesion = label 2): against the held-out cases' labels, or against `pipeline.reference` (per
 * image, then mean, as COVID-SemiSeg); then the lesion budget (lesion-budget.json) and both as Markdown (tables.md).
 */
export const evaluateStage: Stage = {
  name: 'evaluate',
  describe: 'score pseudo-labels, Unet-A and Unet-B against the reference labels (held-out truth or pipeline.reference)',
  enabled: (ctx) => hasVoxelReference(ctx) || ctx.config.pipeline.sliceLabels.length > 0,
  inputs: (ctx) => [
    onnxFile(ctx.runDir, 'unet-a'), onnxFile(ctx.runDir, 'unet-b'), predictionsDir(ctx.runDir, 'unet-b'),
    ...(ctx.config.pipeline.reference ? [resolve(ctx.config.pipeline.reference.labels)] : []),
    ...ctx.config.pipeline.sliceLabels.map((s) => resolve(s.csv)),
  ],
  run: async (ctx) => {
    const slices = ctx.config.pipeline.sliceLabels.length ? await scoreSliceLabels(ctx) : {};
    if (!hasVoxelReference(ctx)) return slices;
    const ref = referenceOf(ctx);
    rmSync(summaryFile(ctx.runDir), { force: true });
    await predictHeldOut(ctx, 'unet-a', ctx.config.pipeline.predictCases);
    await writeHuBaselines(ctx, ref.dir);
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
    return { ...out, ...slices, ...(budget ? { lesionBudgetCases: budget.cases.length } : {}) };
  },
};
