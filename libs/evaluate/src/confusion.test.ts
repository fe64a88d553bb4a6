import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { writeLabelVolume, defaultConfigSection, type LabelVolume } from '@covseg/io';
import { addToConfusion, confusionMarkdown, evaluationMarkdown, confusionRowPct, confusionTable, emptyConfusion, evaluateLabels, mapReference, resolveMap, summaryEntry, truthRowValues, EvaluateConfig } from './index.js';

const cfg: EvaluateConfig = EvaluateConfig.parse(defaultConfigSection('evaluate'));

describe('confusion matrix', () => {
  it('counts every (reference, prediction) pair of a hand-built 10-voxel map; row % sums to 100', () => {
    //            0  1  2  3  4  5  6  7  8  9
    const truth = [0, 0, 1, 1, 1, 2, 2, 3, 3, 4];
    const pred = [0, 1, 1, 1, 2, 2, 3, 0, 3, 4];
    const m = addToConfusion(emptyConfusion(), Uint8Array.from(pred), Uint8Array.from(truth));
    expect(m.truth).toEqual(['background', 'lung', 'ggo', 'consolidation', 'vessels']);
    expect(m.pred).toEqual(['background', 'lung', 'ggo', 'consolidation', 'vessels']);
    expect(m.counts).toEqual([
      [1, 1, 0, 0, 0],
      [0, 2, 1, 0, 0],
      [0, 0, 1, 1, 0],
      [1, 0, 0, 1, 0],
      [0, 0, 0, 0, 1],
    ]);
    const p = confusionRowPct(m);
    expect(p[1]).toEqual([0, 200 / 3, 100 / 3, 0, 0]);
    for (const row of p) expect(row.reduce((a, b) => a! + b!, 0)).toBeCloseTo(100, 10);
    // a second case adds to the same cells
    addToConfusion(m, Uint8Array.from([4, 4]), Uint8Array.from([3, 3]));
    expect(m.counts[3]).toEqual([1, 0, 0, 1, 2]);
    expect(confusionTable(m)).toMatch(/consolidation\s+1 \(25\.0 %\)\s+0 \(0\.0 %\)\s+0 \(0\.0 %\)\s+1 \(25\.0 %\)\s+2 \(50\.0 %\)/);
    expect(confusionMarkdown(m, 'unet-a').split('\n')[5]).toBe('| consolidation | 25.0 % | 0.0 % | 0.0 % | 25.0 % | 50.0 % | 4 |');
  });

  it('COVID-SemiSeg map: rows background / ggo / consolidation; lung of the prediction falls in the background row', () => {
    const map = resolveMap('semiseg-multiclass', cfg)!;
    expect(truthRowValues(map)).toEqual([0, 2, 3]);
    const truth = mapReference(Uint8Array.from([0, 0, 1, 1, 2, 2, 7]), map); // 7: unmapped → background
    const m = addToConfusion(emptyConfusion(map), Uint8Array.from([1, 0, 2, 1, 4, 3, 2]), truth);
    expect(m.truth).toEqual(['background', 'ggo', 'consolidation']);
    expect(m.counts).toEqual([
      [1, 1, 1, 0, 0],
      [0, 1, 1, 0, 0],
      [0, 0, 0, 1, 1],
    ]);
    const binary = resolveMap('semiseg-binary', cfg)!;
    const b = addToConfusion(emptyConfusion(binary), Uint8Array.from([2, 3, 0]), mapReference(Uint8Array.from([255, 255, 0]), binary));
    expect(b.truth).toEqual(['background', 'lesion']);
    expect(b.counts).toEqual([[1, 0, 0, 0, 0], [0, 0, 1, 1, 0]]);
    expect(confusionRowPct(emptyConfusion(binary))[1]).toEqual([null, null, null, null, null]);
  });

  it('refuses a reference value that is no row and a prediction outside 0–4', () => {
    expect(() => addToConfusion(emptyConfusion(resolveMap('semiseg-multiclass', cfg)), Uint8Array.from([0]), Uint8Array.from([1]))).toThrow(/not a row/);
    expect(() => addToConfusion(emptyConfusion(), Uint8Array.from([5]), Uint8Array.from([0]))).toThrow(/outside 0–4/);
  });

  it('evaluateLabels pools the matrix over cases, volumes (3D) and pictures (PNG) alike; summary.json carries it', async () => {
    const d = mkdtempSync(join(tmpdir(), 'covseg-conf-'));
    const vol = (data: number[]): LabelVolume => ({ data: Uint8Array.from(data), shape: [2, 1, 2], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] });
    await writeLabelVolume(join(d, 'truth', 'a.nii.gz'), vol([0, 1, 2, 3]));
    await writeLabelVolume(join(d, 'truth', 'b.nii.gz'), vol([3, 3, 4, 1]));
    await writeLabelVolume(join(d, 'pred', 'a.nii.gz'), vol([0, 1, 1, 2]));
    await writeLabelVolume(join(d, 'pred', 'b.nii.gz'), vol([3, 4, 4, 1]));
    const e = await evaluateLabels(join(d, 'pred'), join(d, 'truth'), cfg);
    expect(e.confusion.counts).toEqual([
      [1, 0, 0, 0, 0],
      [0, 2, 0, 0, 0],
      [0, 1, 0, 0, 0],
      [0, 0, 1, 1, 1],
      [0, 0, 0, 0, 1],
    ]);
    const s = summaryEntry(e);
    expect(s.confusion.row_pct[3]).toEqual([0, 0, 100 / 3, 100 / 3, 100 / 3]);
    const png = (values: number[], file: string) => {
      const p = new PNG({ width: 3, height: 1, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false } as any);
      p.data = Buffer.from(values);
      writeFileSync(file, PNG.sync.write(p, { colorType: 0, inputColorType: 0, inputHasAlpha: false } as any));
    };
    png([2, 3, 1], join(d, 'p.png'));
    png([1, 2, 0], join(d, 't.png'));
    const e2 = await evaluateLabels(join(d, 'p.png'), join(d, 't.png'), cfg, resolveMap('semiseg-multiclass', cfg));
    expect(e2.confusion.counts).toEqual([[0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0]]);
    // Markdown: Dice rows of the map's classes, then the matrix (row %, row voxels)
    const md = evaluationMarkdown(e2, 'p').split('\n');
    expect(md[0]).toBe('| p (1 cases) | Dice | pooled Dice | sensitivity | specificity |');
    expect(md[2]).toBe('| ggo | 1.000 | 1.000 | 1.000 | 1.000 |'); // pixel 0: GGO in both
    expect(md).toContain('| ggo | 0.0 % | 0.0 % | 100.0 % | 0.0 % | 0.0 % | 1 |');
  });
});
