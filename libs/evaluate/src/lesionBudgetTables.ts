import { LABEL_NAMES } from '@covseg/io';
import type { BudgetGroup, GroupBudget, KeptCounts, LesionBudget } from './lesionBudget.js';

/** One row of the budget table: a step, and per group its voxel count (the truth row) or its share of the group's truth voxels (%). */
export interface BudgetRow {
  step: string;
  /** Per group: voxels for the first row, % of the group's truth voxels after it (null: no truth voxels). */
  values: (number | null)[];
}

/** Display names of label sources. */
const SOURCE_NAMES: Record<string, string> = { pseudolabel: 'pseudo-labels', 'unet-a': 'Unet-A', 'unet-b': 'Unet-B' };

/** The budget as rows (truth voxels, then % of them) in pipeline order; columns follow `groupsOf(b)`. */
export function lesionBudgetRows(b: LesionBudget): BudgetRow[] {
  const groups = Object.entries(b.groups) as [BudgetGroup, GroupBudget][];
  const pct = (f: (g: GroupBudget) => number) => groups.map(([, g]) => (g.truth ? (100 * f(g)) / g.truth : null));
  const both = (label: string, f: (g: GroupBudget) => KeptCounts): BudgetRow[] => [
    { step: `${label}: any lesion label`, values: pct((g) => f(g).lesion) },
    { step: `${label}: its own class`, values: pct((g) => f(g).own_class) },
  ];
  const gate = `HU > ${b.candidate_min_hu}`;
  const sources = Object.keys(groups[0]?.[1].sources ?? {});
  return [
    { step: 'truth voxels', values: groups.map(([, g]) => g.truth) },
    { step: `${gate} (anywhere)`, values: pct((g) => g.above_hu_gate) },
    { step: 'inside the lung mask', values: pct((g) => g.in_lung) },
    { step: `candidates (lung mask ∧ ${gate})`, values: pct((g) => g.candidate) },
    ...b.cluster_classes.map((cls, c) => ({ step: `K-means cluster ${c} (→ ${LABEL_NAMES[cls] ?? cls})`, values: pct((g) => g.clusters[c]) })),
    ...both('before cleaning', (g) => g.before_cleaning),
    ...both('removed by cleaning', (g) => g.removed_by_cleaning),
    ...both('added by cleaning', (g) => g.added_by_cleaning),
    ...sources.flatMap((s) => both(SOURCE_NAMES[s] ?? s, (g) => g.sources[s])),
  ];
}

/** Column names of the budget table (the truth groups it holds). */
export const budgetColumns = (b: LesionBudget): string[] => Object.keys(b.groups).map((g) => `truth ${g}`);

/** The budget as a Markdown table (first row voxels, then % of each group's truth voxels). */
export function lesionBudgetMarkdown(b: LesionBudget): string {
  const cols = budgetColumns(b);
  const cell = (v: number | null, first: boolean) => (v === null ? 'n/a' : first ? String(v) : `${v.toFixed(1)} %`);
  const lines = [`| step (${b.cases.length} cases) | ${cols.join(' | ')} |`, `|---|${cols.map(() => '---:').join('|')}|`];
  lesionBudgetRows(b).forEach((r, i) => lines.push(`| ${r.step} | ${r.values.map((v) => cell(v, i === 0)).join(' | ')} |`));
  return lines.join('\n') + '\n';
}
