import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { confusionMarkdown, lesionBudgetMarkdown, type ConfusionMatrix, type LesionBudget } from '@covseg/evaluate';
import { summaryFile, lesionBudgetFile } from '../runLayout.js';

/** One source's entry of evaluate/summary.json (the fields the tables use). */
export interface SummaryEntry {
  dice?: Record<string, number | null>;
  dice_pooled?: Record<string, number | null>;
  sensitivity?: Record<string, number | null>;
  specificity?: Record<string, number | null>;
  volume_error_pct?: Record<string, number | null>;
  cases?: number;
  confusion?: ConfusionMatrix & { row_pct?: (number | null)[][] };
}

const readJson = <T>(p: string): T | undefined => (existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as T) : undefined);

/** evaluate/summary.json of a run (undefined before evaluation). */
export const readSummary = (runDir: string) => readJson<Record<string, SummaryEntry>>(summaryFile(runDir));
/** evaluate/lesion-budget.json of a run (undefined when not computed). */
export const readLesionBudget = (runDir: string) => readJson<LesionBudget>(lesionBudgetFile(runDir));

/** Dice per class and source as a Markdown table: mean per case, then pooled over all voxels (when recorded). */
export function diceMarkdown(summary: Record<string, SummaryEntry>): string {
  const classes = ['lung', 'ggo', 'consolidation', 'vessels', 'lesion'].filter((c) => Object.values(summary).some((s) => s.dice && c in s.dice));
  const f = (v: number | null | undefined) => (typeof v === 'number' ? v.toFixed(3) : 'n/a');
  const lines = [`| Dice: mean per case / pooled | cases | ${classes.join(' | ')} |`, `|---|---:|${classes.map(() => '---:').join('|')}|`];
  for (const [name, s] of Object.entries(summary)) lines.push(`| ${name} | ${s.cases ?? ''} | ${classes.map((c) => `${f(s.dice?.[c])}${s.dice_pooled ? ` / ${f(s.dice_pooled[c])}` : ''}`).join(' | ')} |`);
  return lines.join('\n') + '\n';
}

/** Every evaluation table of a run as Markdown: Dice, one confusion matrix per source, the lesion budget. */
export function evaluationTablesMarkdown(runDir: string): string {
  const summary = readSummary(runDir);
  const budget = readLesionBudget(runDir);
  const parts: string[] = [];
  if (summary) {
    parts.push(diceMarkdown(summary));
    for (const [name, s] of Object.entries(summary)) if (s.confusion) parts.push(`Confusion matrix, ${name} (row % of the reference class; voxels pooled over ${s.cases ?? '?'} cases):\n\n${confusionMarkdown(s.confusion, name)}`);
  }
  if (budget) parts.push(`Lesion budget (${budget.cases.length} cases; % of each truth group's voxels):\n\n${lesionBudgetMarkdown(budget)}`);
  return parts.join('\n');
}
