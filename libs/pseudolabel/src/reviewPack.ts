import { join } from 'node:path';
import { createRng, LABEL_COLOURS, LABEL_NAMES, overlayRgba, panelsToPng, readShardIndex, readSlice, writeFileAtomicSync } from '@covseg/io';
import type { ReviewConfig } from './config.js';
import { labelMapPng } from './labelPng.js';
import { sampleIndices } from './sampleIndices.js';
import { CORRECTION_DATA_DIR, correctionPageHtml, correctionSliceScript, type CorrectionSlice } from './correction/correctionPage.js';

export interface ReviewEntry {
  key: string;
  caseId: string;
  sliceIndex: number;
  /** Overlay picture, relative to the review folder. */
  png: string;
  /** Editable label map in class colours, relative to the review folder. */
  labelPng: string;
  classCounts: number[];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The gallery page: legend (colour swatches + names) and one figure per slice. */
export function reviewHtml(entries: readonly ReviewEntry[], cfg: ReviewConfig): string {
  const legend = [1, 2, 3, 4]
    .map((v) => `<span class="sw"><i style="background:rgb(${LABEL_COLOURS[v].join(',')})"></i>${v} ${LABEL_NAMES[v]}</span>`)
    .join('');
  const figs = entries
    .map((e) => {
      const counts = e.classCounts.slice(2).map((c, i) => `${LABEL_NAMES[i + 2]} ${c}`).join(' · ');
      return `<figure><a href="${escapeHtml(e.png)}"><img src="${escapeHtml(e.png)}" loading="lazy"></a><figcaption>${escapeHtml(e.key)} — ${counts} px · <a href="${escapeHtml(e.labelPng)}">label map</a></figcaption></figure>`;
    })
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>covseg review</title><style>
body{font:14px system-ui,sans-serif;margin:1em;background:#fafafa}
.sw{margin-right:1.2em;white-space:nowrap}.sw i{display:inline-block;width:1em;height:1em;margin-right:.3em;vertical-align:middle;border:1px solid #555}
figure{display:inline-block;margin:.5em;vertical-align:top}img{image-rendering:pixelated;max-width:520px;border:1px solid #ccc}
figcaption{font-size:12px;max-width:520px}
</style></head><body>
<h1>Pseudo-label review (${entries.length} slices)</h1>
<p>Window [${cfg.window.join(', ')}] HU, class colours at opacity ${cfg.alpha}${cfg.sideBySide ? '; left: CT, right: labels' : ''}. Legend: ${legend}</p>
<p><a href="correct.html"><b>Open the correction page</b></a> (works from disk, no server): paint, fill and erase per class, then save one zip for <code>covseg import-corrections</code>.</p>
<p>Or edit a slice's label map (values 0–4 as grey levels, or these colours; black = outside the lungs), keep the file name (slice key), then run <code>covseg import-corrections --shards DIR --from FOLDER</code>.</p>
${figs}
</body></html>
`;
}

/**
 * `covseg review`: `count` random slices of a shard store as overlay PNGs (lung window, translucent
 * class colours) named by slice key, editable label-map PNGs under labels/, index.html, and the
 * correction page correct.html with one data script per slice under correct/.
 */
export function writeReviewPack(shardDir: string, outDir: string, cfg: ReviewConfig): ReviewEntry[] {
  const index = readShardIndex(shardDir);
  const picked = sampleIndices(index.slices.length, cfg.count, createRng(`review:${cfg.seed}`));
  const entries: ReviewEntry[] = [];
  const page: CorrectionSlice[] = [];
  // every slice is read before anything is written: a damaged shard leaves no half-written pack
  const slices = Array.from(picked, (i) => ({ e: index.slices[i], s: readSlice(shardDir, index.slices[i]) }));
  for (const { e, s } of slices) {
    const over = overlayRgba(s.image, s.label, s.width, s.height, { window: cfg.window, alpha: cfg.alpha, show: [1, 2, 3, 4] });
    const panels = cfg.sideBySide ? [{ rgba: overlayRgba(s.image, null, s.width, s.height, { window: cfg.window }), width: s.width }, { rgba: over, width: s.width }] : [{ rgba: over, width: s.width }];
    const png = `${e.key}.png`, labelPng = `labels/${e.key}.png`;
    writeFileAtomicSync(join(outDir, png), panelsToPng(panels, s.height));
    writeFileAtomicSync(join(outDir, labelPng), labelMapPng(s.label, s.width, s.height));
    const file = `${CORRECTION_DATA_DIR}/${e.key}.js`;
    writeFileAtomicSync(join(outDir, file), correctionSliceScript(e.key, s.image, s.label));
    page.push({ key: e.key, width: s.width, height: s.height, file });
    entries.push({ key: e.key, caseId: e.caseId, sliceIndex: e.sliceIndex, png, labelPng, classCounts: [...e.classCounts] });
  }
  writeFileAtomicSync(join(outDir, 'correct.html'), correctionPageHtml(page, cfg));
  writeFileAtomicSync(join(outDir, 'index.html'), reviewHtml(entries, cfg));
  return entries;
}
