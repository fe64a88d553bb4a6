import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { InputError, writeJsonAtomic } from '@covseg/io';
import type { ExportConfig } from './config.js';
import { type ModelCard, createOnnxSegmenter, predictNchw } from '@covseg/inference';
import { runOnnxChecker, type CheckerResult } from './onnxChecker.js';
import { compareProbabilities, type ParityStats } from './parity.js';
import type { SliceBatch } from './verifySlices.js';

/** What `covseg-export verify` found. */
export interface VerifyReport extends ParityStats {
  onnx: string;
  model: string;
  passed: boolean;
  /** Why it failed (empty when passed). */
  failures: string[];
  thresholds: { maxAbsDiff: number; minArgmaxAgreement: number };
  slices: string[];
  size: number;
  tfjsBackend: string;
  seconds: { tfjs: number; onnxRuntime: number };
  checker: CheckerResult;
}

/** Runs the tfjs model and the ONNX file through ONNX Runtime on the same slices and checks them against the thresholds. */
export async function verifyOnnxExport(model: tf.LayersModel, card: ModelCard, onnxFile: string, slices: SliceBatch, cfg: ExportConfig, tfjsBackend: string): Promise<VerifyReport> {
  if (slices.n === 0) throw new InputError('no slices to verify on (verify.syntheticSlices and real slices are both 0)');
  const { images, n, size } = slices;
  const segmenter = await createOnnxSegmenter(onnxFile, cfg.runtime);
  const classes = card.classNames.length;
  let t = performance.now();
  const ortProbs = new Float32Array(n * classes * size * size);
  const plane = size * size;
  for (let s = 0; s < n; s += cfg.verify.batchSize) {
    const m = Math.min(cfg.verify.batchSize, n - s);
    ortProbs.set(await segmenter.predict(images.subarray(s * plane, (s + m) * plane), m, size, size), s * classes * plane);
  }
  const ortSeconds = (performance.now() - t) / 1000;
  await segmenter.release();
  t = performance.now();
  const tfProbs = predictNchw(model, images, n, size, size, cfg.verify.batchSize);
  const tfSeconds = (performance.now() - t) / 1000;
  const stats = compareProbabilities(tfProbs, ortProbs, n, classes, size, size);
  const checker = runOnnxChecker(onnxFile);
  const failures: string[] = [];
  if (!(stats.maxAbsDiff <= cfg.verify.maxAbsDiff)) failures.push(`max |Δprob| ${stats.maxAbsDiff.toExponential(2)} > ${cfg.verify.maxAbsDiff}`);
  if (stats.argmaxAgreement < cfg.verify.minArgmaxAgreement) failures.push(`argmax agreement ${(100 * stats.argmaxAgreement).toFixed(3)} % < ${(100 * cfg.verify.minArgmaxAgreement).toFixed(1)} %`);
  if (checker.status === 'failed') failures.push(checker.message);
  return {
    onnx: onnxFile,
    model: card.modelName,
    passed: failures.length === 0,
    failures,
    ...stats,
    thresholds: { maxAbsDiff: cfg.verify.maxAbsDiff, minArgmaxAgreement: cfg.verify.minArgmaxAgreement },
    slices: slices.names,
    size,
    tfjsBackend,
    seconds: { tfjs: tfSeconds, onnxRuntime: ortSeconds },
    checker,
  };
}

/** Adds a report to verify.json keyed by the ONNX file name (unet-a.onnx and unet-b.onnx share one file), atomically. */
export function writeVerifyReport(file: string, report: VerifyReport): void {
  let existing: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      existing = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      existing = {};
    }
  }
  writeJsonAtomic(file, { ...existing, [basename(report.onnx)]: report });
}
