import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '@covseg/io';
import { stackedChartsSvg, type ChartSeries } from './svgChart.js';
import { CLASS_NAMES } from './model.js';

export const METRICS_JSONL = 'metrics.jsonl';
export const CURVES_SVG = 'curves.svg';

/** One line of metrics.jsonl: an epoch's training loss and validation scores. */
export interface EpochMetrics {
  /** 1-based epoch number. */
  epoch: number;
  steps: number;
  trainLoss: number;
  validationLoss: number | null;
  /** Validation Dice per class name and `lesion` (GGO ∪ consolidation); null when the class is absent in truth and prediction. */
  dice: Record<string, number | null>;
  /** The score best-model selection and early stopping use (lesion Dice, else mean foreground Dice). */
  score: number | null;
  improved: boolean;
  seconds: number;
}

/** Selection score: lesion Dice when lesions occur, else the mean Dice of the foreground classes present. */
export function selectionScore(dice: Record<string, number | null>): number | null {
  if (dice.lesion !== null && dice.lesion !== undefined) return dice.lesion;
  const fg = CLASS_NAMES.slice(1).map((n) => dice[n]).filter((d): d is number => d !== null && d !== undefined);
  return fg.length ? fg.reduce((a, b) => a + b, 0) / fg.length : null;
}

/** Appends one epoch to OUT/metrics.jsonl; on the first epoch after a resume, rewrites it from history instead. */
export function writeMetrics(outDir: string, history: EpochMetrics[], rewrite: boolean): void {
  const p = join(outDir, METRICS_JSONL);
  if (rewrite || !existsSync(p)) writeFileAtomicSync(p, history.map((h) => JSON.stringify(h) + '\n').join(''));
  else appendFileSync(p, JSON.stringify(history[history.length - 1]) + '\n');
}

/** Rewrites OUT/curves.svg: loss curves and validation Dice curves per epoch. */
export function writeCurves(outDir: string, history: EpochMetrics[]): void {
  const loss: ChartSeries[] = [
    { name: 'train loss', points: history.map((h) => [h.epoch, h.trainLoss]) },
    { name: 'validation loss', points: history.map((h) => [h.epoch, h.validationLoss]) },
  ];
  const dice: ChartSeries[] = [...CLASS_NAMES.slice(1), 'lesion'].map((n) => ({ name: n === 'lesion' ? 'lesion (2∪3)' : n, points: history.map((h) => [h.epoch, h.dice[n] ?? null] as [number, number | null]) }));
  const svg = stackedChartsSvg([
    { title: 'Loss (CE + soft Dice)', xLabel: 'epoch', series: loss },
    { title: 'Validation Dice', xLabel: 'epoch', series: dice, yRange: [0, 1] },
  ]);
  writeFileAtomicSync(join(outDir, CURVES_SVG), svg);
}
