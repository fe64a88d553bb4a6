import type { Evaluation } from './evaluate.js';
import type { ClassScores } from './overlap.js';

const METRICS: (keyof ClassScores)[] = ['dice', 'sensitivity', 'specificity', 'iou', 'volume_pred_ml', 'volume_truth_ml'];

/** One row per case (image): Dice / sensitivity / specificity / IoU / volumes of every scored class; empty cell = undefined. */
export function perCaseCsv(e: Evaluation): string {
  const head = ['case', ...e.classes.flatMap((c) => METRICS.map((m) => `${c}_${m}`))];
  const rows = e.cases.map((k) => [k.case, ...e.classes.flatMap((c) => METRICS.map((m) => k.classes[c]?.[m] ?? ''))].map((v) => (typeof v === 'number' ? +v.toFixed(6) : v)).join(','));
  return [head.join(','), ...rows].join('\n') + '\n';
}
