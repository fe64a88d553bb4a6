import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checksumPath, voxelToPatientMm } from '@covseg/io';
import { boxPhantom } from '../testing/testVolumes.js';
import { labelCounts, volumeRatiosPct, volumesLitres } from '@covseg/evaluate';
import { largestLesions, reportCsv, caseReport } from './index.js';

describe('volume report', () => {
  const { label } = boxPhantom();
  const c = labelCounts(label.data);
  const mm3 = 2.5 * 0.75 * 0.8;

  it('litres are counts × voxel volume; ratios are % of lung (1 ∪ 2 ∪ 3 ∪ 4)', () => {
    expect([c[2], c[3]]).toEqual([180, 500]);
    const v = volumesLitres(c, label.spacing);
    expect(v.ggo).toBe((180 * mm3) / 1e6);
    expect(v.consolidation).toBe((500 * mm3) / 1e6);
    expect(v.lung).toBe(((c[1] + 180 + 500 + c[4]) * mm3) / 1e6);
    const lung = c[1] + c[2] + c[3] + c[4];
    expect(volumeRatiosPct(c)).toEqual({ VRall: (100 * 680) / lung, VRggo: (100 * 180) / lung, VRcs: (100 * 500) / lung });
    expect(volumeRatiosPct([10, 0, 0, 0, 0])).toEqual({ VRall: 0, VRggo: 0, VRcs: 0 });
  });

  it('lesions: the box lesions, largest first, with exact volumes and patient-mm centroids', () => {
    const l = largestLesions(label, 5, 26);
    expect(l.map((x) => x.voxels)).toEqual([500, 180]);
    expect(l[0].volume_ml).toBe((500 * mm3) / 1e3);
    const near = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 9));
    near(l[0].centroid_mm, voxelToPatientMm(label, 4, 24.5, 34.5));
    near(l[1].centroid_mm, voxelToPatientMm(label, 2, 10.5, 10.5));
    near(l[1].centroid_mm, [100 - 0.8 * 10.5, -50 + 0.75 * 10.5, 20 + 2.5 * 2]); // x axis flipped by the direction
    expect(largestLesions(label, 1, 26)).toHaveLength(1);
  });

  it('report.json keys and one CSV row per case', () => {
    const r = caseReport('x', label, { name: 'm', engine: 'e', path: 'p', sha256: 's' }, { path: 'in', sha256: 'h' }, { read_s: 0, inference_s: 0, processing_s: 0, write_s: 0, total_s: 1, seconds_per_slice: 0.125 }, { largestLesions: 5, connectivity: 26, sliceConfidence: new Float32Array([1, 0.5]) });
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['volumes_l', 'ratios_pct', 'lesions', 'model', 'input']));
    expect(r.slice_confidence_mean).toBe(0.75);
    const csv = reportCsv([r, { ...r, case: 'y,z' }]).trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[2].startsWith('"y,z",')).toBe(true);
  });

  it('checksums: a folder hash changes with any file', () => {
    const d = mkdtempSync(join(tmpdir(), 'covseg-sum-'));
    mkdirSync(join(d, 'a'));
    writeFileSync(join(d, 'a', 'f'), 'x');
    const h1 = checksumPath(d);
    writeFileSync(join(d, 'a', 'f'), 'y');
    expect(checksumPath(d)).not.toBe(h1);
    expect(checksumPath(join(d, 'a', 'f'))).toBe('a1fce4363854ff888cff4b8e7875d600c2682390412a8cf79b37d0b11148b0fa');
  });
});
