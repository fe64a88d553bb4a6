import { InputError, readLabelVolume, readVolume, sameGrid } from '@covseg/io';
import type { EvaluateConfig } from './config.js';
import { huBaselineLabels } from './huBaseline.js';
import { evaluateSlices, sliceScores, type SliceEvaluation } from './sliceEvaluation.js';
import { readSliceLabels } from './sliceLabels.js';

/** The files of one slice-level evaluation: predicted label maps (by source name) and the radiologists' CSV, plus CT and lung mask for the HU baseline. */
export interface SliceCase {
  case: string;
  preds: Record<string, string>;
  csv: string;
  ct?: string;
  lung?: string;
}

export interface SliceCaseEvaluation {
  case: string;
  /** Scores per source: each of `preds`, and 'hu-baseline' when a CT and lung mask were given. */
  sources: Record<string, Omit<SliceEvaluation, 'slices'> & { slices?: SliceEvaluation['slices'] }>;
}

/** Slice-level scores of one case: each prediction, and the HU baseline from CT + lung mask when both are given. Loads no model. */
export async function evaluateSliceCase(c: SliceCase, cfg: EvaluateConfig['slices'], baseline: EvaluateConfig['baseline']): Promise<SliceCaseEvaluation> {
  const labels = readSliceLabels(c.csv);
  const sources: SliceCaseEvaluation['sources'] = {};
  for (const [name, file] of Object.entries(c.preds)) sources[name] = evaluateSlices(await readLabelVolume(file), labels, cfg);
  if (c.ct && c.lung) {
    const ct = await readVolume(c.ct);
    const lung = await readLabelVolume(c.lung);
    if (!sameGrid(ct, lung)) throw new InputError('lung mask is not on the CT grid', c.lung);
    sources['hu-baseline'] = evaluateSlices(huBaselineLabels(ct, lung.data, baseline), labels, cfg);
  }
  return { case: c.case, sources };
}

/** The slices of several cases pooled: AUC / sensitivity / specificity over every paired slice of every case. */
export function pooledSliceScores(evals: readonly SliceCaseEvaluation[], source: string, cfg: EvaluateConfig['slices']) {
  const slices = evals.flatMap((e) => e.sources[source]?.slices ?? []);
  const scores = slices.map((s) => s.lesionMm2);
  const labels = slices.map((s) => s.label.infection);
  return { slices: slices.length, ...sliceScores(scores, labels, cfg.lesionAreaThresholdMm2) };
}

const f3 = (x: number | null) => (x === null ? '–' : x.toFixed(3));

/** A plain-text table: one row per case and source (AUC, sensitivity, specificity at the threshold, VRall). */
export function sliceEvaluationTable(evals: readonly SliceCaseEvaluation[]): string {
  const rows = [['case', 'source', 'slices', 'infected', 'AUC', 'sensitivity', 'specificity', 'threshold mm²', 'VRall %']];
  for (const e of evals)
    for (const [source, s] of Object.entries(e.sources))
      rows.push([e.case + (s.normal ? ' (normal)' : ''), source, String(s.paired), String(s.infection.positives), f3(s.infection.auc), f3(s.infection.sensitivity), f3(s.infection.specificity), String(s.thresholdMm2), s.VRall.toFixed(2)]);
  const width = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) => r.map((c, j) => c.padEnd(width[j])).join('  ').trimEnd()).join('\n') + '\n';
}
