import { confusionRowPct, lesionBudgetRows, budgetColumns, type ConfusionMatrix, type LesionBudget } from '@covseg/evaluate';
import { escapeHtml as esc } from './html.js';

/** Cell shading: a share 0–100 % as blue of that strength (the text stays readable up to full strength). */
const shade = (pct: number | null) => (pct === null ? '' : ` style="background:rgba(49,130,189,${(0.75 * pct) / 100})"`);
/** Predicted classes that count as right for a reference row ('lesion' = either lesion class). */
const RIGHT: Record<string, string[]> = { lesion: ['ggo', 'consolidation'] };

/** A confusion matrix as an HTML table: cells "row % (voxels)", shaded by row %, the right class outlined. */
export function confusionHtml(m: ConfusionMatrix, title: string): string {
  const p = confusionRowPct(m);
  const head = `<tr><th>${esc(title)}: reference ↓ / predicted →</th>${m.pred.map((c) => `<th>${esc(c)}</th>`).join('')}<th>voxels</th></tr>`;
  const rows = m.truth.map((t, r) => {
    const cells = m.counts[r].map((v, c) => {
      const right = (RIGHT[t] ?? [t]).includes(m.pred[c]);
      return `<td${shade(p[r][c])}>${right ? '<b>' : ''}${p[r][c] === null ? '–' : `${p[r][c]!.toFixed(1)} %`}${right ? '</b>' : ''}<br><small>${v}</small></td>`;
    });
    return `<tr><td>${esc(t)}</td>${cells.join('')}<td>${m.counts[r].reduce((a, b) => a + b, 0)}</td></tr>`;
  });
  return `<table class="confusion"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The lesion budget as an HTML table: truth voxels, then % of each group per step (shaded). */
export function lesionBudgetHtml(b: LesionBudget): string {
  const head = `<tr><th>step (${b.cases.length} cases)</th>${budgetColumns(b).map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const rows = lesionBudgetRows(b).map((r, i) => `<tr><td>${esc(r.step)}</td>${r.values.map((v) => (v === null ? '<td>–</td>' : i === 0 ? `<td>${v}</td>` : `<td${shade(v)}>${v.toFixed(1)} %</td>`)).join('')}</tr>`);
  return `<table class="budget"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}
