import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLabelVolume, writeVolume, type LabelVolume, type Volume } from '@covseg/io';
import { rocAuc, sensitivitySpecificity } from './rocAuc.js';
import { evaluateSlices, slicePositionsMm } from './sliceEvaluation.js';
import { readSliceLabels } from './sliceLabels.js';
import { evaluateSliceCase, pooledSliceScores, sliceEvaluationTable } from './sliceReport.js';
import { huBaselineLabels } from './huBaseline.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'covseg-slices-'));

describe('rocAuc', () => {
  it('is the Mann–Whitney probability, ties one half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([1, 1, 2], [0, 1, 1])).toBe(0.75);
    expect(rocAuc([3, 2, 1], [1, 1, 0])).toBe(1);
    expect(rocAuc([3, 3, 3, 3], [1, 0, 1, 0])).toBe(0.5);
    expect(rocAuc([1, 2], [0, 0])).toBeNull();
  });
  it('counts confusion at a strict threshold', () => {
    expect(sensitivitySpecificity([0, 1, 2, 3], [0, 1, 0, 1], 1)).toEqual({ tp: 1, fp: 1, tn: 1, fn: 1, sensitivity: 0.5, specificity: 0.5 });
  });
});

// 6 slices of 10 × 10 px, 0.5 mm pixels (0.25 mm²), 2 mm apart from z = -10 mm; lung everywhere (label 1)
const SHAPE: [number, number, number] = [6, 10, 10];
/** Lesion pixels per slice on the patient's left (x ≥ 5: LPS +x) and right (x < 5). */
const LEFT = [0, 4, 20, 0, 50, 0];
const RIGHT = [0, 0, 20, 0, 50, 8];
function predicted(): LabelVolume {
  const data = new Uint8Array(600).fill(1);
  for (let z = 0; z < 6; z++) {
    let l = LEFT[z], r = RIGHT[z];
    for (let y = 0; y < 10; y++)
      for (let x = 0; x < 10; x++) {
        const i = x + 10 * (y + 10 * z);
        if (x >= 5 && l > 0) (data[i] = l % 2 ? 2 : 3), l--;
        if (x < 5 && r > 0) (data[i] = 2), r--;
      }
  }
  return { data, shape: SHAPE, spacing: [2, 0.5, 0.5], origin: [-2, 3, -10], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
}
// rows from the most superior slice down (as COVID-CT-MD), one row 50 mm away from any predicted slice
const CSV = `slice_index,file,slice_location_mm,infection,LLL,LUL,RLL,RML,RUL
0,a.dcm,40.0,1,1,0,0,0,0
1,b.dcm,0.1,0,0,0,0,0,0
2,c.dcm,-1.9,1,0,1,1,0,0
3,d.dcm,-4.0,0,0,0,0,0,0
4,e.dcm,-6.0,1,0,1,0,1,0
5,f.dcm,-8.0,1,1,0,0,0,0
6,g.dcm,-10.0,0,0,0,0,0,0
`;
const CFG = { lesionAreaThresholdMm2: 1.5, maxOffsetMm: 0.5 };
const BASELINE = { huRange: [-700, -100] as [number, number], openingRadius: 1 };

describe('evaluateSlices', () => {
  it('pairs slices by position and scores lesion area: AUC, sensitivity, specificity, per lobe side, VRall', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'labels.csv'), CSV);
    const e = evaluateSlices(predicted(), readSliceLabels(join(dir, 'labels.csv')), CFG);
    expect(slicePositionsMm(predicted())).toEqual([-10, -8, -6, -4, -2, 0]);
    expect({ paired: e.paired, unpairedPredicted: e.unpairedPredicted, unpairedLabels: e.unpairedLabels }).toEqual({ paired: 6, unpairedPredicted: 0, unpairedLabels: 1 });
    // areas z = 0..5: 0, 1, 10, 0, 25, 2 mm²; labels (by position): 0, 1, 1, 0, 1, 0
    expect(e.slices.map((s) => s.lesionMm2)).toEqual([0, 1, 10, 0, 25, 2]);
    expect(e.slices.map((s) => s.label.infection)).toEqual([0, 1, 1, 0, 1, 0]);
    // positives {1, 10, 25} vs negatives {0, 0, 2}: 8 of 9 pairs ordered; > 1.5 mm² calls z = 2, 4, 5
    expect(e.infection).toEqual({ positives: 3, negatives: 3, auc: 8 / 9, tp: 2, fn: 1, fp: 1, tn: 2, sensitivity: 2 / 3, specificity: 2 / 3 });
    // per lobe, scored by the lesion area on its side: left 0, 1, 5, 0, 12.5, 0 mm²; right 0, 0, 5, 0, 12.5, 2 mm²
    // LLL infected at z = 1 (left 1 mm²: above three negatives, below 5 and 12.5), not called at 1.5 mm²
    expect(e.lobes.LLL).toEqual({ positives: 1, negatives: 5, auc: 3 / 5, tp: 0, fn: 1, fp: 2, tn: 3, sensitivity: 0, specificity: 3 / 5 });
    expect(e.lobes.LUL).toEqual({ positives: 2, negatives: 4, auc: 1, tp: 2, fn: 0, fp: 0, tn: 4, sensitivity: 1, specificity: 1 });
    expect(e.lobes.RLL).toEqual({ positives: 1, negatives: 5, auc: 1, tp: 1, fn: 0, fp: 2, tn: 3, sensitivity: 1, specificity: 3 / 5 });
    expect(e.lobes.RML).toEqual({ positives: 1, negatives: 5, auc: 4 / 5, tp: 1, fn: 0, fp: 2, tn: 3, sensitivity: 1, specificity: 3 / 5 });
    expect(e.lobes.RUL).toMatchObject({ positives: 0, auc: null, sensitivity: null });
    expect(e.normal).toBe(false);
    expect(e.VRall).toBeCloseTo((100 * (4 + 40 + 100 + 8)) / 600, 12);
  });

  it('reads the files (NIfTI geometry round trip) and scores the HU baseline beside the model; a normal scan is flagged', async () => {
    const dir = tmp();
    const pred = predicted();
    await writeLabelVolume(join(dir, 'pred.nii.gz'), pred);
    writeFileSync(join(dir, 'labels.csv'), CSV);
    writeFileSync(join(dir, 'normal.csv'), CSV.replace(/,1,(\d),(\d),(\d),(\d),(\d)\n/g, ',0,0,0,0,0,0\n'));
    // CT: lung -850 HU with a 4 × 4 block of -500 HU on slice 3 and an isolated -500 HU pixel on slice 1
    const hu = new Int16Array(600).fill(-850);
    for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) hu[x + 10 * (y + 10 * 3)] = -500;
    hu[7 + 10 * (7 + 10 * 1)] = -500;
    const ct: Volume = { ...pred, data: hu };
    await writeVolume(join(dir, 'ct.nii.gz'), ct);
    await writeLabelVolume(join(dir, 'lung.nii.gz'), { ...pred, data: new Uint8Array(600).fill(1) });
    const e = await evaluateSliceCase({ case: 'p', preds: { 'unet-b': join(dir, 'pred.nii.gz') }, csv: join(dir, 'labels.csv'), ct: join(dir, 'ct.nii.gz'), lung: join(dir, 'lung.nii.gz') }, CFG, BASELINE);
    expect(e.sources['unet-b'].infection.auc).toBe(8 / 9);
    // the opening (4-connected cross) keeps the block without its 4 corners (12 px = 3 mm²) and drops the lone pixel
    expect(e.sources['hu-baseline'].slices!.map((s) => s.lesionMm2)).toEqual([0, 0, 0, 3, 0, 0]);
    expect(e.sources['hu-baseline'].VRall).toBeCloseTo((100 * 12) / 600, 12);
    const normal = await evaluateSliceCase({ case: 'n', preds: { model: join(dir, 'pred.nii.gz') }, csv: join(dir, 'normal.csv') }, CFG, BASELINE);
    expect(normal.sources.model).toMatchObject({ normal: true, infection: { positives: 0, auc: null, sensitivity: null, specificity: 3 / 6 } });
    const pooled = pooledSliceScores([e, normal], 'unet-b', CFG);
    expect(pooled.slices).toBe(6);
    expect(sliceEvaluationTable([e, normal])).toMatch(/^n \(normal\)\s+model\s+6\s+0\s+–\s+–\s+0\.500\s+1\.5\s+25\.33$/m);
  });

  it('refuses a CSV without the needed columns or with a bad flag, in one line naming it', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.csv'), 'slice_index,infection\n0,1\n');
    expect(() => readSliceLabels(join(dir, 'a.csv'))).toThrow(/a\.csv: slice-label CSV lacks the column 'slice_location_mm'/);
    writeFileSync(join(dir, 'b.csv'), 'slice_location_mm,infection\n1.0,2\n');
    expect(() => readSliceLabels(join(dir, 'b.csv'))).toThrow(/b\.csv: row 2: infection is '2', expected 0 or 1$/);
  });
});
