import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { writeLabelVolume, writeVolume, type LabelVolume, defaultConfigSection } from '@covseg/io';
import { evaluateLabels, labelFilesOf, overlapScores, pooledDice, readLabelPng, resolveMap, summaryEntry, writeSummary, evaluationTable, meanSd, mapReference, perCaseCsv, EvaluateConfig } from './index.js';

const cfg: EvaluateConfig = EvaluateConfig.parse(defaultConfigSection('evaluate'));
const tmp = () => mkdtempSync(join(tmpdir(), 'covseg-eval-'));
const shared = new URL('../../../../shared/data/infnet-covid-semiseg-train/', import.meta.url).pathname;

/** 2×4×4 label grid from a per-voxel function; spacing 2 × 1 × 0.5 mm (1 mm³ per voxel). */
function grid(f: (z: number, y: number, x: number) => number): LabelVolume {
  const data = new Uint8Array(32);
  for (let z = 0, i = 0; z < 2; z++) for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++, i++) data[i] = f(z, y, x);
  return { data, shape: [2, 4, 4], spacing: [2, 1, 0.5], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
}

describe('overlap scores', () => {
  const all = ['lung', 'ggo', 'consolidation', 'vessels', 'lesion'] as const;
  it('identical → Dice 1, IoU 1, no volume error', () => {
    const a = grid((z, y, x) => (x + y + z) % 5);
    const s = overlapScores(a.data, a.data, all, 1, 'skip');
    for (const c of all) expect([s[c]!.dice, s[c]!.iou, s[c]!.volume_error_ml, s[c]!.volume_error_pct]).toEqual([1, 1, 0, 0]);
  });

  it('disjoint → 0', () => {
    const p = grid((z) => (z === 0 ? 2 : 0));
    const t = grid((z) => (z === 1 ? 2 : 0));
    const s = overlapScores(p.data, t.data, ['ggo', 'lesion'], 1, 'skip');
    expect([s.ggo!.dice, s.ggo!.iou, s.lesion!.dice]).toEqual([0, 0, 0]);
  });

  it('half overlap: Dice 1/2, IoU 1/3; volume error in mL and %', () => {
    const p = grid((_, y) => (y < 2 ? 3 : 0)); // 16 voxels: rows 0–1
    const t = grid((_, y) => (y >= 1 && y < 3 ? 3 : 0)); // 16 voxels: rows 1–2, 8 shared
    const s = overlapScores(p.data, t.data, ['consolidation'], 1, 'skip').consolidation!;
    expect(s.dice).toBe(0.5);
    expect(s.iou).toBe(1 / 3);
    // 32 voxels: 8 of 16 reference voxels found; 8 of the 16 non-reference voxels wrongly predicted
    expect([s.sensitivity, s.specificity]).toEqual([0.5, 0.5]);
    const bigger = grid((_, y) => (y < 3 ? 3 : 0)); // 24 vs 16 voxels of 4 mm³
    const v = overlapScores(bigger.data, t.data, ['consolidation'], 4, 'skip').consolidation!;
    expect([v.volume_pred_ml, v.volume_truth_ml, v.volume_error_ml, v.volume_error_pct]).toEqual([0.096, 0.064, 0.032, 50]);
  });

  it('pooled Dice adds voxels over cases: a healthy case with 1 false voxel costs the pool almost nothing', () => {
    const lesion = grid((_, y) => (y < 2 ? 2 : 0)); // 16 GGO voxels, found exactly
    const healthy = grid(() => 1);
    const oneFalse = grid((z, y, x) => (z + y + x === 0 ? 2 : 1));
    const a = overlapScores(lesion.data, lesion.data, ['ggo'], 1, 'skip').ggo!;
    const b = overlapScores(oneFalse.data, healthy.data, ['ggo'], 1, 'skip').ggo!;
    expect([a.dice, b.dice]).toEqual([1, 0]); // per-case mean 0.5
    expect(b.voxels).toEqual({ both: 0, pred: 1, truth: 0 });
    expect(pooledDice([a, b])).toBe(32 / 33);
    expect(pooledDice([undefined])).toBeNull();
  });

  it("both empty: null and left out of the mean ('skip'), or 1 ('one'); volume % is null for an empty reference", () => {
    const e = grid(() => 1);
    expect(overlapScores(e.data, e.data, ['ggo'], 1, 'skip').ggo!.dice).toBeNull();
    expect(overlapScores(e.data, e.data, ['ggo'], 1, 'one').ggo!.iou).toBe(1);
    expect(overlapScores(grid(() => 2).data, e.data, ['ggo'], 1, 'skip').ggo!.volume_error_pct).toBeNull();
    // empty reference: sensitivity undefined, specificity = share of the image left unpredicted
    const half = overlapScores(grid((z) => (z ? 2 : 0)).data, e.data, ['ggo'], 1, 'skip').ggo!;
    expect([half.sensitivity, half.specificity]).toEqual([null, 0.5]);
    expect(meanSd([1, null, 0])).toEqual({ mean: 0.5, sd: Math.SQRT1_2, n: 2 });
  });

  it('maps: COVID-SemiSeg 1 → GGO, 2 → consolidation; binary 255 → lesion scores only lesion', () => {
    expect(Array.from(mapReference(Uint8Array.from([0, 1, 2, 255, 7]), resolveMap('semiseg-multiclass', cfg)))).toEqual([0, 2, 3, 0, 0]);
    expect(resolveMap('1=ggo,255=lesion', cfg)).toEqual({ 1: 'ggo', 255: 'lesion' });
    expect(() => resolveMap('1=tumour', cfg)).toThrow(/VALUE=CLASS/);
    const pred = Uint8Array.from([2, 3, 1, 0]);
    const ref = mapReference(Uint8Array.from([255, 255, 255, 0]), resolveMap('infection', cfg));
    const s = overlapScores(pred, ref, ['lesion'], 1, 'skip');
    expect(s.lesion!.dice).toBe(0.8);
  });
});

describe('evaluateLabels', () => {
  it('pairs predict-style and phantom-style folders by case and aggregates mean ± sd; writes summary.json', async () => {
    const d = tmp();
    const truthA = grid((_, y) => (y < 2 ? 2 : 1));
    const truthB = grid((_, y) => (y < 2 ? 3 : 1));
    await writeLabelVolume(join(d, 'truth', 'case-a', 'label.nii.gz'), truthA);
    await writeVolume(join(d, 'truth', 'case-a', 'image.nii.gz'), { ...truthA, data: new Int16Array(32) });
    await writeLabelVolume(join(d, 'truth', 'case-b', 'label.nii.gz'), truthB);
    await writeLabelVolume(join(d, 'pred', 'case-a', 'labels.nii.gz'), truthA); // perfect
    await writeLabelVolume(join(d, 'pred', 'case-b', 'labels.nii.gz'), grid((_, y) => (y >= 1 && y < 3 ? 3 : 1))); // consolidation half overlap
    expect([...labelFilesOf(join(d, 'truth')).keys()]).toEqual(['case-a', 'case-b']);
    const e = await evaluateLabels(join(d, 'pred'), join(d, 'truth'), cfg);
    expect(e.cases.map((c) => c.case)).toEqual(['case-a', 'case-b']);
    expect(e.aggregate.lesion!.dice).toEqual({ mean: 0.75, sd: Math.sqrt(0.125), n: 2 });
    expect(e.aggregate.ggo!.dice.n).toBe(1); // case b: no GGO anywhere → left out
    expect(e.aggregate.consolidation!.dice).toEqual({ mean: 0.5, sd: 0, n: 1 });
    const s = writeSummary(join(d, 'summary.json'), 'unet-a', e);
    writeSummary(join(d, 'summary.json'), 'pseudolabel', e);
    const back = JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8'));
    expect(Object.keys(back).sort()).toEqual(['pseudolabel', 'unet-a']);
    expect(back['unet-a']).toEqual(summaryEntry(e));
    expect(back['unet-a'].cases).toBe(2);
    expect(Object.keys(back['unet-a'].dice)).toEqual(['lung', 'ggo', 'consolidation', 'vessels', 'lesion']);
    expect(Object.keys(s)).toEqual(['unet-a']);
    expect(evaluationTable(e)).toMatch(/lesion\s+0\.750 ± 0\.354/);
    // per-case CSV: case b's consolidation half overlap → Dice 0.5, sensitivity 0.5
    const rows = perCaseCsv(e).trim().split('\n').map((r) => r.split(','));
    const col = (name: string) => rows[0].indexOf(name);
    expect(rows.map((r) => r[0])).toEqual(['case', 'case-a', 'case-b']);
    expect([rows[2][col('consolidation_dice')], rows[2][col('consolidation_sensitivity')], rows[2][col('ggo_dice')]]).toEqual(['0.5', '0.5', '']);
  });

  it('2D PNG masks: gray value maps with a binary reference map', async () => {
    const d = tmp();
    const png = (values: number[], file: string) => {
      const p = new PNG({ width: 2, height: 2, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false } as any);
      p.data = Buffer.from(values);
      writeFileSync(file, PNG.sync.write(p, { colorType: 0, inputColorType: 0, inputHasAlpha: false } as any));
    };
    png([2, 3, 1, 0], join(d, 'p.png'));
    png([255, 255, 255, 0], join(d, 't.png'));
    expect(Array.from(readLabelPng(join(d, 't.png')).data)).toEqual([255, 255, 255, 0]);
    const e = await evaluateLabels(join(d, 'p.png'), join(d, 't.png'), cfg, resolveMap('semiseg-binary', cfg));
    expect(e.classes).toEqual(['lesion']);
    expect(e.cases[0].classes.lesion!.dice).toBe(0.8);
    expect(e.cases[0].spacing_known).toBe(false);
  });

  it.skipIf(!existsSync(shared))('palette PNGs read as indices: COVID-SemiSeg multi-class totals (GGO 560,121; consolidation 326,093)', () => {
    const dir = join(shared, 'MultiClassInfection-Train', 'GT');
    const totals = [0, 0, 0];
    for (const f of readdirSync(dir)) for (const v of readLabelPng(join(dir, f)).data) totals[v]++;
    expect(totals).toEqual([5807318, 560121, 326093]);
  });
});
