import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXPORT_CONFIG, ExportConfig } from './config.js';
import { exportModelDirToOnnx, verifyModelDirAgainstOnnx } from './modelDirExport.js';
import { writeOnnxFile } from './exportOnnx.js';
import { loadModelDir } from './modelDir.js';
import { buildUnet, saveUnet, unetInfo, type UnetConfig } from '@covseg/unet';
import { TEST_CARD, tempDir, unetTestConfig } from './testing/harness.js';
import { realAxialSlices } from './verifySlices.js';

const REAL_DIR = join(process.cwd(), '../../../shared/data/covid19-ny-sbu-dicom');
const UNET: UnetConfig = unetTestConfig({ inputSize: 64, depth: 2, baseFilters: 4, seed: 1 });
const cfg: ExportConfig = { ...DEFAULT_EXPORT_CONFIG, verify: { ...DEFAULT_EXPORT_CONFIG.verify, tfjsBackend: 'cpu', realDataDir: REAL_DIR, syntheticSlices: 2, realSlices: 2 } };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('verify', () => {
  it('saves, reloads, exports and verifies a model folder; writes verify.json', async () => {
    const dir = tempDir();
    await saveUnet(buildUnet(UNET), unetInfo('unet-a', UNET, 'feed42', 3), join(dir, 'unet-a'));
    const { card } = await loadModelDir(join(dir, 'unet-a'));
    expect(card).toEqual({ ...TEST_CARD, modelName: 'unet-a', trainingConfigHash: 'feed42' });
    const onnxFile = join(dir, 'export', 'unet-a.onnx');
    await exportModelDirToOnnx(join(dir, 'unet-a'), onnxFile, cfg);
    const r = await verifyModelDirAgainstOnnx(join(dir, 'unet-a'), onnxFile, cfg);
    expect(r.passed, r.failures.join('; ')).toBe(true);
    expect(r.maxAbsDiff).toBeLessThan(1e-5);
    expect(r.argmaxAgreement).toBe(1);
    expect(r.slices.filter((s) => s.startsWith('synthetic-')).length).toBe(2);
    const real = existsSync(REAL_DIR) ? 2 : 0;
    expect(r.slices.length).toBe(2 + real);
    const report = JSON.parse(readFileSync(join(dir, 'export', 'verify.json'), 'utf8'));
    expect(report['unet-a.onnx'].passed).toBe(true);
    expect(report['unet-a.onnx'].pixels).toBe((2 + real) * 64 * 64);
  });

  it('fails when the ONNX file holds other weights, and says by how much', async () => {
    const dir = tempDir();
    await saveUnet(buildUnet(UNET), unetInfo('m', UNET, 'feed42', 1), join(dir, 'm'));
    const other = join(dir, 'other.onnx');
    writeOnnxFile(other, buildUnet({ ...UNET, seed: 2 }), TEST_CARD, cfg);
    const r = await verifyModelDirAgainstOnnx(join(dir, 'm'), other, cfg, { syntheticSlices: 1 });
    expect(r.passed).toBe(false);
    expect(r.failures[0]).toMatch(/max \|Δprob\| .* > 0.0001/);
    expect(r.argmaxAgreement).toBeLessThan(0.999);
  });

  it('reads real axial slices from the shared data when present', async (ctx) => {
    if (!existsSync(REAL_DIR)) return ctx.skip(`shared data absent (${REAL_DIR})`);
    const slices = await realAxialSlices(REAL_DIR, 3);
    expect(slices.length).toBe(3);
    for (const s of slices) {
      expect(s.name).toMatch(/_axial_/);
      expect([s.h, s.w]).toEqual([512, 512]);
      expect(Math.min(...s.hu.subarray(0, 512 * 64))).toBeLessThan(-1000);
    }
  });

  it('validates the export config section and CLI overrides', () => {
    expect(DEFAULT_EXPORT_CONFIG.verify).toMatchObject({ maxAbsDiff: 1e-4, minArgmaxAgreement: 0.999 });
    expect(ExportConfig.safeParse({ ...DEFAULT_EXPORT_CONFIG, opset: 11 }).success).toBe(false);
    expect(ExportConfig.safeParse({ ...DEFAULT_EXPORT_CONFIG, bogus: 1 }).success).toBe(false);
  });
});
