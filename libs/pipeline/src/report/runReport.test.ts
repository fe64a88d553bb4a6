import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { overlayRgba, panelsToPng } from '@covseg/io';
import { addToLesionBudget, emptyLesionBudget } from '@covseg/evaluate';
import { writeRunReport } from './runReport.js';

function sampleRun(): string {
  const runDir = mkdtempSync(join(tmpdir(), 'covseg-report-'));
  const w = (p: string, s: string) => {
    mkdirSync(join(runDir, p, '..'), { recursive: true });
    writeFileSync(join(runDir, p), s);
  };
  w('config.json', JSON.stringify({ hash: 'abc123', config: { pipeline: { phantomCases: 3 } } }));
  w('ingest/done.json', JSON.stringify({ stage: 'ingest', configHash: 'abc123', inputs: {}, startedAt: '2026-01-01T00:00:00Z', seconds: 1.5 }));
  w('evaluate/summary.json', JSON.stringify({ pseudolabel: { dice: { lung: 0.97, ggo: 0.81, consolidation: 0.77, vessels: 0.83, lesion: 0.85 }, volume_error_pct: { ggo: 5 }, cases: 2 } }));
  w('unet-a/curves.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><polyline points="0,90 100,50 200,10" stroke="blue" fill="none"/></svg>');
  w('predict/case-009/report.json', JSON.stringify({ volumes_l: { lung: 0.21, ggo: 0.012, consolidation: 0.004, vessels: 0.01 }, ratios_pct: { VRall: 7.6, VRggo: 5.7, VRcs: 1.9 } }));
  const img = Int16Array.from({ length: 32 * 32 }, (_, i) => (i % 32 > 16 ? -850 : 40));
  const lab = Uint8Array.from({ length: 32 * 32 }, (_, i) => (i % 32 > 20 ? 2 : 0));
  w('report/gallery/a.png', '');
  writeFileSync(join(runDir, 'report/gallery/a.png'), panelsToPng([{ rgba: overlayRgba(img, null, 32, 32), width: 32 }, { rgba: overlayRgba(img, lab, 32, 32), width: 32 }], 32));
  return runDir;
}

describe('run report', () => {
  it('lists stages, Dice, curves, gallery and volumes', () => {
    const runDir = sampleRun();
    const out = writeRunReport({ runDir, stages: ['ingest', 'cluster'], gallery: [{ src: 'gallery/a.png', caption: 'case-009 z12' }] });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<td>ingest</td><td>done</td><td>1.500</td>');
    expect(html).toContain('<td>pseudolabel</td><td>2</td><td>0.970</td>');
    expect(html).toContain('<td>cluster</td><td>not run</td>');
    expect(html).toContain('<polyline');
    expect(html).toContain('src="gallery/a.png"');
    expect(html).toMatch(/case-009<\/a><\/td><td>0\.210<\/td>/);
  });

  it('shows each source\'s confusion matrix (row %, voxels, shaded) and the lesion budget', () => {
    const runDir = sampleRun();
    const confusion = { truth: ['background', 'ggo', 'consolidation'], pred: ['background', 'lung', 'ggo', 'consolidation', 'vessels'], counts: [[90, 10, 0, 0, 0], [1, 1, 2, 0, 0], [2, 0, 1, 0, 1]] };
    writeFileSync(join(runDir, 'evaluate/summary.json'), JSON.stringify({ 'unet-b': { dice: { ggo: 0.5, lesion: 0.6 }, cases: 1, confusion } }));
    const budget = emptyLesionBudget(['lesion', 'ggo'], [2, 3, 4], ['pseudolabel'], -700, 'pseudolabel');
    addToLesionBudget(budget, 'c', { truth: Uint8Array.from([2, 2, 2, 0]), hu: [0, 0, -900, 0], lungMask: Uint8Array.from([1, 1, 1, 1]), cluster: Uint8Array.from([1, 3, 0, 0]), sources: { pseudolabel: Uint8Array.from([2, 4, 1, 1]) } });
    writeFileSync(join(runDir, 'evaluate/lesion-budget.json'), JSON.stringify(budget));
    const html = readFileSync(writeRunReport({ runDir, stages: [] }), 'utf8');
    expect(html).toContain('<h2>Where the voxels go</h2>');
    // ggo row: 1 background, 1 lung, 2 GGO of 4 → 25 / 25 / 50 %, the right class in bold, shaded by its share
    expect(html).toContain('<tr><td>ggo</td><td style="background:rgba(49,130,189,0.1875)">25.0 %<br><small>1</small></td>');
    expect(html).toContain('<b>50.0 %</b><br><small>2</small>');
    expect(html).toContain('<tr><td>truth voxels</td><td>3</td><td>3</td></tr>');
    expect(html).toContain('<tr><td>candidates (lung mask ∧ HU &gt; -700)</td><td style="background:rgba(49,130,189,0.5)">66.7 %</td>');
  });

  it('renders in headless Chromium', () => {
    const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
    if (!chromium) return console.warn('skipped: Chromium is not installed (apt-get install chromium)');
    const runDir = sampleRun();
    const out = writeRunReport({ runDir, stages: ['ingest'], gallery: [{ src: 'gallery/a.png', caption: 'case-009 z12' }] });
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`];
    const dom = spawnSync(chromium, [...flags, '--dump-dom', `file://${out}`], { encoding: 'utf8', timeout: 60_000 });
    expect(dom.stdout).toContain('covseg run report');
    expect(dom.stdout).toContain('0.810');
    const shot = join(runDir, 'shot.png');
    spawnSync(chromium, [...flags, `--screenshot=${shot}`, '--window-size=900,700', `file://${out}`], { timeout: 60_000 });
    const png = PNG.sync.read(readFileSync(shot));
    // the page is not blank: enough non-white pixels (text, tables, gallery)
    let ink = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i] < 200) ink++;
    expect(ink).toBeGreaterThan(2000);
  }, 120_000);
});
