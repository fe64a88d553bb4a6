import { confusionRowPct, type ConfusionMatrix } from './confusion.js';

const pct = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} %`);

/** Plain-text confusion table: one row per reference class, each cell "voxels (row %)". */
export function confusionTable(m: ConfusionMatrix): string {
  const p = confusionRowPct(m);
  const cells = m.counts.map((row, r) => row.map((v, c) => `${v} (${pct(p[r][c])})`));
  const width = Math.max(14, ...cells.flat().map((s) => s.length + 2), ...m.pred.map((s) => s.length + 2));
  const head = ['reference \\ predicted'.padEnd(22), ...m.pred.map((c) => c.padStart(width))].join('');
  return [head, ...m.truth.map((t, r) => [t.padEnd(22), ...cells[r].map((s) => s.padStart(width))].join(''))].join('\n');
}

/** The same as a Markdown table (cells "row % (voxels)"); `title` names the source, e.g. "pseudolabel". */
export function confusionMarkdown(m: ConfusionMatrix, title: string): string {
  const p = confusionRowPct(m);
  const lines = [`| ${title}: reference ↓ / predicted → | ${m.pred.join(' | ')} | voxels |`, `|---|${m.pred.map(() => '---:').join('|')}|---:|`];
  m.truth.forEach((t, r) => lines.push(`| ${t} | ${m.counts[r].map((v, c) => pct(p[r][c])).join(' | ')} | ${m.counts[r].reduce((a, b) => a + b, 0)} |`));
  return lines.join('\n') + '\n';
}
