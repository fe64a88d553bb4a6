import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDicomSeries, readLabelVolume, readSegmentationDicom, voxelVolumeMm3, writeDicomSeries, writeVolume, type LabelVolume, defaultConfigSection } from '@covseg/io';
import { buildUnet } from '@covseg/unet';
import { unetInfo } from '@covseg/unet';
import { labelCounts } from '@covseg/evaluate';
import { applyLungMask, keepLargestComponent } from './postprocess.js';
import { mirrorRows, segmentVolume } from './segmentVolume.js';
import type { Segmenter } from './segmenter.js';
import { tfjsSegmenter } from './segmenter.js';
import { predictAll, predictCase, predictExitCode, PREDICT_OUTPUTS } from './predictCase.js';
import { boxPhantom, truthSegmenter } from './testing/testVolumes.js';
import { PredictConfig } from './config.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'covseg-predict-'));
const cfg: PredictConfig = PredictConfig.parse(defaultConfigSection('predict'));
const model = { name: 'm', engine: 'test', path: '-', sha256: '0' };

/** An untrained 32² U-Net: deterministic weights, nonsense labels — enough to check bookkeeping exactly. */
function tinySegmenter() {
  const unet = { inputSize: 32, depth: 2, baseFilters: 4, kernelSize: 3, batchNorm: false, dropout: 0, upsampling: 'transpose' as const, window: { low: -1024, high: 300 }, seed: 3 };
  return tfjsSegmenter({ model: buildUnet(unet as any), info: unetInfo('tiny', unet as any, 'h', 0) });
}

function countsPerSlice(l: { data: Uint8Array; shape: [number, number, number] }): number[][] {
  const plane = l.shape[1] * l.shape[2];
  return Array.from({ length: l.shape[0] }, (_, z) => labelCounts(l.data.subarray(z * plane, (z + 1) * plane)));
}

describe('segmentVolume', () => {
  it('reproduces the truth exactly through a one-hot segmenter, in any batch size', async () => {
    const { image, label } = boxPhantom();
    for (const batchSize of [1, 3, 8]) {
      const seg = await segmentVolume(image, truthSegmenter(label), { batchSize, postprocess: { ...cfg.postprocess, largestComponent: [] }, connectivity: 26, quiet: true });
      expect(Array.from(seg.labels.data)).toEqual(Array.from(label.data));
      expect(seg.labels.spacing).toEqual(image.spacing);
      expect(Array.from(seg.sliceConfidence)).toEqual(new Array(8).fill(1));
    }
  });

  it('test-time flip: mirrorRows is exact; an equivariant segmenter is unchanged, a left–right ramp becomes symmetric', async () => {
    expect(Array.from(mirrorRows(Float32Array.from([1, 2, 3, 4, 5, 6]), 3))).toEqual([3, 2, 1, 6, 5, 4]);
    const { image, label } = boxPhantom();
    const opts = { batchSize: 3, postprocess: { ...cfg.postprocess, largestComponent: [] }, connectivity: 26 as const, quiet: true, testTimeFlip: true };
    const [, ny, nx] = image.shape;
    const planes = (n: number, h: number, w: number, p1: (k: number, i: number) => number) => {
      const out = new Float32Array(n * 5 * h * w);
      for (let k = 0; k < n; k++) for (let i = 0; i < h * w; i++) (out[(k * 5 + 1) * h * w + i] = p1(k, i)), (out[k * 5 * h * w + i] = 1 - p1(k, i));
      return out;
    };
    // a segmenter that looks only at each pixel's value is equivariant under mirroring: the flip changes nothing
    const pointwise: Segmenter = { name: 'pointwise', inputSize: [ny, nx], window: [-1024, 300], predict: async (b, n, h, w) => planes(n, h, w, (k, i) => b[k * h * w + i]) };
    const once = await segmentVolume(image, pointwise, { ...opts, testTimeFlip: false });
    const twice = await segmentVolume(image, pointwise, opts);
    expect(Array.from(twice.labels.data)).toEqual(Array.from(once.labels.data));
    expect(Array.from(twice.sliceConfidence)).toEqual(Array.from(once.sliceConfidence));
    expect(new Set(once.labels.data).size).toBe(2);
    // one that believes "lung" grows from left (p = 0.2) to right (p = 0.8) sees 0.5 everywhere once averaged with its mirror
    const ramp: Segmenter = {
      name: 'ramp', inputSize: [ny, nx], window: [-1024, 300],
      predict: async (_b, n, h, w) => planes(n, h, w, (_k, i) => 0.2 + (0.6 * (i % w)) / (w - 1)),
    };
    const plain = await segmentVolume(image, ramp, { ...opts, testTimeFlip: false });
    expect(plain.labels.data[nx - 1]).toBe(1);
    expect(plain.labels.data[0]).toBe(0);
    const flipped = await segmentVolume(image, ramp, opts);
    for (const c of flipped.sliceConfidence) expect(c).toBeCloseTo(0.5, 6);
  });

  it('lung-mask rules: outside → 0, inside background → 1', () => {
    const labels = Uint8Array.from([0, 2, 3, 0, 4, 1]);
    applyLungMask(labels, Uint8Array.from([0, 0, 1, 1, 1, 0]), { maskOutsideLung: true, fillLungBackground: true });
    expect(Array.from(labels)).toEqual([0, 0, 3, 1, 4, 0]);
  });

  it('largest-component cleanup keeps the biggest blob of a class and turns the rest into lung', () => {
    const { label } = boxPhantom();
    const l: LabelVolume = { ...label, data: label.data.map((v) => (v === 2 ? 3 : v)) }; // two consolidation blobs: 180 and 500 voxels
    expect(keepLargestComponent(l, 3, 6)).toBe(180);
    expect(labelCounts(l.data)[3]).toBe(500);
  });

  it('runs a tfjs U-Net with resizing (40×48 slices, 32² input): labels on the source grid', async () => {
    const { image } = boxPhantom();
    const seg = await segmentVolume(image, tinySegmenter(), { batchSize: 3, postprocess: cfg.postprocess, connectivity: 26, quiet: true });
    expect(seg.labels.shape).toEqual(image.shape);
    expect(seg.labels.data.every((v) => v < 5)).toBe(true);
    for (const c of seg.sliceConfidence) expect(c).toBeGreaterThan(0.2 - 1e-6);
  });
});

describe('predictCase', () => {
  it('report volumes (L) equal label count × voxel volume of its own labels.nii.gz; SEG re-reads with the same counts per slice', async () => {
    const { image } = boxPhantom();
    const dir = tmp();
    await writeVolume(join(dir, 'ct.nii.gz'), image);
    const r = await predictCase('c1', join(dir, 'ct.nii.gz'), join(dir, 'out'), { segmenter: tinySegmenter(), model, cfg, quiet: true });
    const back = await readLabelVolume(join(dir, 'out', PREDICT_OUTPUTS.labels));
    const c = labelCounts(back.data);
    const mm3 = voxelVolumeMm3(back.spacing);
    expect(r.volumes_l).toEqual({ lung: ((c[1] + c[2] + c[3] + c[4]) * mm3) / 1e6, ggo: (c[2] * mm3) / 1e6, consolidation: (c[3] * mm3) / 1e6, vessels: (c[4] * mm3) / 1e6 });
    const json = JSON.parse(readFileSync(join(dir, 'out', PREDICT_OUTPUTS.report), 'utf8'));
    for (const k of ['volumes_l', 'ratios_pct', 'lesions', 'model', 'input']) expect(json).toHaveProperty(k);
    expect(json.input.sha256).toMatch(/^[0-9a-f]{64}$/);
    const seg = readSegmentationDicom(join(dir, 'out', PREDICT_OUTPUTS.dicom, PREDICT_OUTPUTS.seg), back.shape[0]);
    expect(countsPerSlice({ data: seg.labels, shape: seg.shape })).toEqual(countsPerSlice(back));
    expect(readFileSync(join(dir, 'out', PREDICT_OUTPUTS.csv), 'utf8').split('\n')[1]).toMatch(/^c1,/);
  });

  it('from a DICOM folder: the SEG references the source series and is anonymous by default', async () => {
    const { image, label } = boxPhantom();
    const dir = tmp();
    writeDicomSeries(join(dir, 'ct'), image, { uidSeed: 'src', patientName: 'DOE^JOHN', patientId: 'ID42' });
    const src = await readDicomSeries(join(dir, 'ct'));
    await predictCase('d1', join(dir, 'ct'), join(dir, 'out'), { segmenter: truthSegmenter(label), model, cfg: { ...cfg, testTimeFlip: false, postprocess: { ...cfg.postprocess, largestComponent: [] } }, quiet: true });
    const seg = readSegmentationDicom(join(dir, 'out', 'dicom', 'seg.dcm'), src.shape[0]);
    expect(seg.referencedSeriesUid).toBe(src.seriesUid);
    expect([seg.patientName, seg.patientId]).toEqual(['', '']);
    expect(countsPerSlice({ data: seg.labels, shape: seg.shape })).toEqual(countsPerSlice(label));
  });

  it('a folder with one corrupt case: the others are processed, the bad one listed, partial-failure exit code', async () => {
    const { image } = boxPhantom([4, 40, 48]);
    const dir = tmp();
    await writeVolume(join(dir, 'in', 'a.nii.gz'), image);
    await writeVolume(join(dir, 'in', 'b.nii.gz'), image);
    writeFileSync(join(dir, 'in', 'broken.nii.gz'), Buffer.from('not a nifti at all'));
    const errors: string[] = [];
    const out = await predictAll(join(dir, 'in'), join(dir, 'out'), { segmenter: tinySegmenter(), model, cfg, quiet: true, onError: (o) => errors.push(o.source) });
    expect(out.filter((o) => o.report)).toHaveLength(2);
    expect(errors).toEqual([join(dir, 'in', 'broken.nii.gz')]);
    const failed = JSON.parse(readFileSync(join(dir, 'out', 'failed.json'), 'utf8'));
    expect(failed).toHaveLength(1);
    expect(failed[0].error).toMatch(/broken\.nii\.gz/);
    for (const o of out.filter((o) => o.report)) expect(existsSync(join(o.outDir, 'labels.nii.gz'))).toBe(true);
    expect(readFileSync(join(dir, 'out', 'report.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(predictExitCode(out)).toBe(3);
    expect(predictExitCode(out.filter((o) => o.report))).toBe(0);
    expect(predictExitCode(out.filter((o) => o.error))).toBe(1);
  });

  it('--shard k/n workers then one unsharded run give the same labels and report.csv as one run; finished cases are reused', async () => {
    const dir = tmp();
    for (const [k, shape] of [[0, [4, 40, 48]], [1, [5, 36, 40]], [2, [3, 40, 40]]] as const) await writeVolume(join(dir, 'in', `case${k}.nii.gz`), boxPhantom([...shape]).image);
    const opts = { segmenter: tinySegmenter(), model, cfg, quiet: true };
    await predictAll(join(dir, 'in'), join(dir, 'one'), opts);
    for (const k of [1, 2]) {
      const part = await predictAll(join(dir, 'in'), join(dir, 'sharded'), { ...opts, shard: { k, n: 2 } });
      expect(part).toHaveLength(k === 1 ? 2 : 1);
    }
    expect(existsSync(join(dir, 'sharded', 'report.csv'))).toBe(false); // workers leave the merge to the unsharded run
    const merged = await predictAll(join(dir, 'in'), join(dir, 'sharded'), { ...opts, segmenter: truthSegmenter(boxPhantom().label) }); // a different engine would show if a case were redone
    expect(merged).toHaveLength(3);
    for (const o of merged) expect(readFileSync(join(dir, 'sharded', o.id, 'labels.nii.gz'))).toEqual(readFileSync(join(dir, 'one', o.id, 'labels.nii.gz')));
    const rows = (d: string) => readFileSync(join(d, 'report.csv'), 'utf8').trim().split('\n').map((r) => r.split(',').slice(0, 8).join(','));
    expect(rows(join(dir, 'sharded'))).toEqual(rows(join(dir, 'one')));
  });
});
