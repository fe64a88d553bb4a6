import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfigSection, readLabelVolume, voxelToPatientMm, voxelVolumeMm3, writeVolume } from '@covseg/io';
import { generatePhantomCase, phantomConfigSchema } from '@covseg/phantom';
import { connectedComponents } from '@covseg/features';
import { labelCounts, volumesLitres } from '@covseg/evaluate';
import { predictCase, PredictConfig } from '@covseg/inference';

const phantomDefaults = phantomConfigSchema.parse(defaultConfigSection('phantom'));

/** A segmenter that returns the phantom's exact labels as one-hot probabilities, slice after slice. */
function truthSegmenter(label: { data: Uint8Array; shape: [number, number, number] }) {
  const [nz, ny, nx] = label.shape;
  let z = 0;
  return {
    name: 'phantom-truth', inputSize: [ny, nx] as [number, number], window: [-1024, 300] as [number, number],
    async predict(_b: Float32Array, n: number, h: number, w: number) {
      const px = h * w;
      const out = new Float32Array(n * 5 * px);
      for (let k = 0; k < n; k++, z = (z + 1) % nz) for (let i = 0; i < px; i++) out[(k * 5 + label.data[z * px + i]) * px + i] = 1;
      return out;
    },
  };
}

describe('predict on a phantom with a truth-returning segmenter', () => {
  it('reproduces the truth volumes (L) and the lesion centroids (patient mm)', async () => {
    const c = generatePhantomCase({ ...phantomDefaults, shape: [12, 64, 64], healthyFraction: 0, ggoCount: [2, 2], consolidationCount: [1, 1] }, 'predict-test');
    const dir = mkdtempSync(join(tmpdir(), 'covseg-predict-app-'));
    await writeVolume(join(dir, 'ct.nii.gz'), c.image);
    const predict = PredictConfig.parse(defaultConfigSection('predict'));
    const r = await predictCase('p', join(dir, 'ct.nii.gz'), join(dir, 'out'), {
      segmenter: truthSegmenter(c.label), model: { name: 'truth', engine: 'test', path: '-', sha256: '-' }, cfg: { ...predict, testTimeFlip: false, postprocess: { ...predict.postprocess, largestComponent: [] } }, quiet: true, // the truth ignores its input: no mirror view
    });
    const truthCounts = labelCounts(c.label.data);
    expect(r.label_counts).toEqual(truthCounts);
    // the NIfTI round trip stores spacing and origin as float32: compare on the geometry predict saw
    const g = await readLabelVolume(join(dir, 'out', 'labels.nii.gz'));
    expect(r.volumes_l).toEqual(volumesLitres(truthCounts, g.spacing));
    expect(r.volumes_l.lung).toBeCloseTo(volumesLitres(truthCounts, c.label.spacing).lung, 6);
    expect(r.volumes_l.ggo + r.volumes_l.consolidation).toBeGreaterThan(0);
    // independent centroid computation: components of the truth lesion mask, mean voxel index → patient mm
    const cc = connectedComponents(c.label.shape, (i) => c.label.data[i] === 2 || c.label.data[i] === 3, predict.report.connectivity);
    const order = Array.from({ length: cc.count }, (_, k) => k + 1).sort((a, b) => cc.sizes[b] - cc.sizes[a] || a - b).slice(0, predict.report.largestLesions);
    expect(r.lesions.map((l) => l.voxels)).toEqual(order.map((k) => cc.sizes[k]));
    r.lesions.forEach((l, j) => {
      const k = order[j];
      const n = cc.sizes[k];
      const want = voxelToPatientMm(g, cc.sums[k][0] / n, cc.sums[k][1] / n, cc.sums[k][2] / n);
      l.centroid_mm.forEach((v, a) => expect(v).toBeCloseTo(want[a], 6));
      expect(l.volume_ml).toBe((n * voxelVolumeMm3(g.spacing)) / 1000);
    });
  });
});
