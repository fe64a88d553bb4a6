import { dirname, join } from 'node:path';
import type { ExportConfig } from './config.js';
import { writeOnnxFile } from './exportOnnx.js';
import { loadModelDir } from './modelDir.js';
import { useTfjsBackend } from '@covseg/tfjs-backend';
import { verifyOnnxExport, writeVerifyReport, type VerifyReport } from './verifyExport.js';
import { verificationSlices } from './verifySlices.js';

/** `covseg-export onnx`: saved tfjs model folder → ONNX file (atomic; no file on failure). */
export async function exportModelDirToOnnx(modelDir: string, outFile: string, cfg: ExportConfig) {
  const { model, card } = await loadModelDir(modelDir);
  return { ...writeOnnxFile(outFile, model, card, cfg), card };
}

/** `covseg-export verify`: tfjs vs ONNX Runtime on synthetic + real slices; writes the report into verify.json beside the ONNX file (or `reportFile`). */
export async function verifyModelDirAgainstOnnx(modelDir: string, onnxFile: string, cfg: ExportConfig, opts: { syntheticSlices?: number; reportFile?: string } = {}): Promise<VerifyReport & { reportFile: string }> {
  const backend = await useTfjsBackend(cfg.verify.tfjsBackend);
  const { model, card } = await loadModelDir(modelDir);
  const fixed = model.inputs[0].shape[1];
  const size = typeof fixed === 'number' ? fixed : card.inputSize[0];
  const slices = await verificationSlices(card, size, { synthetic: opts.syntheticSlices ?? cfg.verify.syntheticSlices, real: cfg.verify.realSlices, realDir: cfg.verify.realDataDir, seed: cfg.verify.seed });
  const report = await verifyOnnxExport(model, card, onnxFile, slices, cfg, backend);
  const reportFile = opts.reportFile ?? join(dirname(onnxFile), 'verify.json');
  writeVerifyReport(reportFile, report);
  return { ...report, reportFile };
}
