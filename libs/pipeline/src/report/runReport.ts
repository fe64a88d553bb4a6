import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeFileAtomicSync, LABEL_COLOURS, LABEL_NAMES } from '@covseg/io';
import type { StageRecord } from '../stageRecord.js';
import { confusionHtml, lesionBudgetHtml } from './evaluationHtml.js';
import { escapeHtml as esc, formatCell as fmt, htmlTable as table } from './html.js';
import { readLesionBudget, readSummary } from './evaluationTables.js';
import { runConfigFile, recordPath, summaryFile, perCaseFile, reportDir } from '../runLayout.js';

const readJson = (p: string) => (existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : undefined);

type Scores = { positives: number; negatives: number; auc: number | null; sensitivity: number | null; specificity: number | null };
/** What the evaluate stage writes to evaluate/slices.json (the parts the report shows). */
interface SliceScoresFile {
  thresholdMm2: number;
  cases: { case: string; csv: string; sources: Record<string, { paired: number; unpairedLabels: number; normal: boolean; VRall: number; infection: Scores; lobes: Record<string, Scores> }> }[];
  pooled: Record<string, Scores & { slices: number }>;
}

/** Slice-level tables: per case and source (AUC, sensitivity / specificity at the threshold, VRall), per lobe side, pooled. */
function sliceScoresHtml(f: SliceScoresFile): string {
  const rows = f.cases.flatMap((c) =>
    Object.entries(c.sources).map(([src, s]) => [`${esc(c.case)}${s.normal ? ' (normal)' : ''}`, esc(c.csv.split('/').pop()), esc(src), s.paired, s.infection.positives, s.infection.auc, s.infection.sensitivity, s.infection.specificity, s.VRall]),
  );
  const lobes = f.cases.flatMap((c) => Object.entries(c.sources).flatMap(([src, s]) => Object.entries(s.lobes).filter(([, l]) => l.positives > 0).map(([lobe, l]) => [esc(c.case), esc(src), esc(lobe), l.positives, l.auc, l.sensitivity, l.specificity])));
  const pooled = Object.entries(f.pooled).map(([src, p]) => [esc(src), p.slices, p.positives, p.auc, p.sensitivity, p.specificity]);
  return `<p>Each predicted slice is paired by position with a radiologist-labelled slice; its predicted lesion (GGO ∪ consolidation) area is its score. A slice is called infected above ${fmt(f.thresholdMm2)} mm². hu-baseline: lung voxels within the configured HU range after an in-plane opening (no model).</p>`
    + table(['case', 'labels', 'source', 'slices', 'infected', 'AUC', 'sensitivity', 'specificity', 'VRall %'], rows)
    + (pooled.length ? `<h3>All labelled slices pooled</h3>${table(['source', 'slices', 'infected', 'AUC', 'sensitivity', 'specificity'], pooled)}` : '')
    + (lobes.length ? `<details><summary>Per lobe (scored by the lesion area on that lobe's lung side: covseg has no lobe segmentation)</summary>${table(['case', 'source', 'lobe', 'infected slices', 'AUC', 'sensitivity', 'specificity'], lobes)}</details>` : '');
}

/** A gallery picture: a PNG path (relative to the report) and its caption. */
export interface GalleryItem {
  src: string;
  caption: string;
}

export interface RunReportInput {
  runDir: string;
  /** Stage names in pipeline order (to list timings). */
  stages: string[];
  gallery?: GalleryItem[];
  /** Extra sections (title → HTML) from stages that have more to show. */
  extra?: Record<string, string>;
}

/**
 * Writes DIR/report/index.html: config, stage timings, training curves, Dice tables, overlay gallery and
 * volumes — a static page that opens from disk (pictures are relative links, curves are inlined SVG).
 */
export function writeRunReport(input: RunReportInput): string {
  const { runDir } = input;
  const outDir = reportDir(runDir);
  const parts: string[] = [];
  const config = readJson(runConfigFile(runDir));

  const timings = input.stages
    .map((s) => [s, readJson(recordPath(runDir, s)) as StageRecord | undefined] as const)
    .map(([s, r]) => [s, r ? 'done' : 'not run', r?.seconds, r?.startedAt ?? '']);
  const total = timings.reduce((a, r) => a + (typeof r[2] === 'number' ? r[2] : 0), 0);
  parts.push(`<h2>Stages</h2>${table(['stage', 'status', 'seconds', 'started'], [...timings, ['total', '', total, '']])}`);

  const summary = readJson(summaryFile(runDir)) as Record<string, Partial<Record<'dice' | 'dice_pooled' | 'sensitivity' | 'specificity' | 'volume_error_pct', Record<string, number | null>>> & { cases?: number }> | undefined;
  if (summary) {
    const reference = config?.config?.pipeline?.reference as { labels: string; map: string } | null | undefined;
    const classes = ['lung', 'ggo', 'consolidation', 'vessels', 'lesion'].filter((c) => Object.values(summary).some((s) => s.dice && c in s.dice));
    const metric = (f: 'dice' | 'dice_pooled' | 'sensitivity' | 'specificity' | 'volume_error_pct') => table(['model', 'cases', ...classes], Object.entries(summary).map(([model, s]) => [model, s.cases, ...classes.map((c) => s[f]?.[c])]));
    const title = reference ? `Agreement with the reference labels (${reference.map}: ${reference.labels}; per case, then mean)` : 'Agreement with the phantom truth (held-out cases)';
    parts.push(`<h2>${esc(title)}</h2><h3>Dice (per case, then mean)</h3>${metric('dice')}<h3>Dice pooled over all voxels of all cases</h3>${metric('dice_pooled')}<h3>Sensitivity</h3>${metric('sensitivity')}<h3>Specificity</h3>${metric('specificity')}${reference ? '' : `<h3>Volume error (%)</h3>${metric('volume_error_pct')}`}`);
    const last = ['unet-b', 'unet-a', 'pseudolabel'].find((m) => existsSync(perCaseFile(runDir, m, 'json')));
    const perCase = last ? (readJson(perCaseFile(runDir, last, 'json')) as { case: string; classes: Record<string, { dice: number | null; sensitivity: number | null; specificity: number | null }> }[]) : [];
    if (perCase.length) {
      const head = ['case', ...classes.flatMap((c) => [`${c} Dice`, `${c} sens.`, `${c} spec.`])];
      const rows = perCase.map((k) => [k.case, ...classes.flatMap((c) => [k.classes[c]?.dice, k.classes[c]?.sensitivity, k.classes[c]?.specificity])]);
      parts.push(`<details><summary>Per case: ${esc(last)} (${perCase.length} cases; <a href="../evaluate/${esc(last)}-per-case.csv">CSV</a>)</summary>${table(head, rows)}</details>`);
    }
  }

  const sources = Object.entries(readSummary(runDir) ?? {}).filter(([, s]) => s.confusion);
  const budget = readLesionBudget(runDir);
  if (sources.length || budget) {
    const confusion = sources.map(([name, s]) => `<figure>${confusionHtml(s.confusion!, name)}</figure>`).join('');
    const budgetPart = budget
      ? `<h3>Lesion budget</h3><p>Share of the truth lesion voxels that survive each step: inside the lung mask, above the candidate gate (HU &gt; ${esc(budget.candidate_min_hu)}), per K-means cluster, before and after the cleaning, and kept by each model — as any lesion label and as the voxel's own class (<a href="../evaluate/lesion-budget.json">JSON</a>).</p>${lesionBudgetHtml(budget)}`
      : '';
    parts.push(`<h2>Where the voxels go</h2>${sources.length ? `<h3>Confusion matrices (row % of the reference class; voxels pooled over the evaluated cases)</h3><div class="row">${confusion}</div>` : ''}${budgetPart}<p><a href="../evaluate/tables.md">tables as Markdown</a></p>`);
  }

  const slices = readJson(join(runDir, 'evaluate', 'slices.json')) as SliceScoresFile | undefined;
  if (slices) parts.push(`<h2>Slice level: agreement with radiologists</h2>${sliceScoresHtml(slices)}`);

  const curves = ['unet-a', 'unet-b']
    .map((m) => [m, join(runDir, m, 'curves.svg')] as const)
    .filter(([, p]) => existsSync(p))
    .map(([m, p]) => `<figure><figcaption>${m}</figcaption>${readFileSync(p, 'utf8').replace(/<\?xml[^>]*>/, '')}</figure>`);
  if (curves.length) parts.push(`<h2>Training curves</h2><div class="row">${curves.join('')}</div>`);

  if (input.gallery?.length) {
    const legend = [2, 3, 4].map((l) => `<span class="sw" style="background:rgb(${LABEL_COLOURS[l].join(',')})"></span>${LABEL_NAMES[l]}`).join(' ');
    parts.push(`<h2>Gallery</h2><p>${legend}</p><div class="gallery">${input.gallery.map((g) => `<figure><img src="${esc(g.src)}" loading="lazy"><figcaption>${esc(g.caption)}</figcaption></figure>`).join('')}</div>`);
  }

  const predictDir = join(runDir, 'predict');
  if (existsSync(predictDir)) {
    const rows = readdirSync(predictDir)
      .filter((c) => existsSync(join(predictDir, c, 'report.json')))
      .sort()
      .map((c) => {
        const r = readJson(join(predictDir, c, 'report.json'));
        const v = r.volumes_l ?? {};
        const q = r.ratios_pct ?? {};
        return [`<a href="${esc(relative(outDir, join(predictDir, c, 'report.json')))}">${esc(c)}</a>`, v.lung, v.ggo, v.consolidation, v.vessels, q.VRall, q.VRggo, q.VRcs];
      });
    if (rows.length) parts.push(`<h2>Volumes (predicted, litres and % of lung)</h2>${table(['case', 'lung L', 'GGO L', 'consolidation L', 'vessels L', 'VRall %', 'VRggo %', 'VRcs %'], rows)}`);
  }

  for (const [title, html] of Object.entries(input.extra ?? {})) parts.push(`<h2>${esc(title)}</h2>${html}`);

  if (config) parts.push(`<h2>Config</h2><details><summary>resolved config (hash ${esc(config.hash ?? '')})</summary><pre>${esc(JSON.stringify(config.config ?? config, null, 2))}</pre></details>`);

  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>covseg run report</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:1200px;color:#222}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
.row{display:flex;flex-wrap:wrap;gap:16px}.gallery{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}img{max-width:100%;image-rendering:pixelated}.sw{display:inline-block;width:12px;height:12px;margin:0 4px 0 10px;vertical-align:middle}pre{background:#f7f7f7;padding:8px;overflow:auto}</style></head>
<body><h1>covseg run report</h1><p>${esc(runDir)}</p>${parts.join('\n')}</body></html>\n`;
  const out = join(outDir, 'index.html');
  writeFileAtomicSync(out, html);
  return out;
}
