import * as tf from '@tensorflow/tfjs';
import { DEFAULT_EXPORT_CONFIG, type ExportConfig } from '../config.js';
import { tfjsToOnnx } from '../exportOnnx.js';
import { type ModelCard, encodeModel, createOnnxSegmenter, predictNchw } from '@covseg/inference';
import { compareProbabilities, type ParityStats } from '../parity.js';
import { normalizeWindow, UnetConfig } from '@covseg/unet';
import { defaultConfigSection } from '@covseg/io';
import { syntheticCtSlice } from '../syntheticSlice.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Model card of the test fixtures. */
export const TEST_CARD: ModelCard = {
  modelName: 'unet-test',
  classNames: ['background', 'lung', 'ggo', 'consolidation', 'vessels'],
  labelValues: [0, 1, 2, 3, 4],
  window: { low: -1024, high: 300 },
  inputSize: [64, 64],
  trainingConfigHash: 'cafe0123',
};

/** n normalised synthetic slices, NCHW [n, 1, size, size]. */
export function syntheticBatch(n: number, size: number, seed = 11): Float32Array {
  const out = new Float32Array(n * size * size);
  for (let i = 0; i < n; i++) out.set(normalizeWindow(syntheticCtSlice(size, seed + i), TEST_CARD.window), i * size * size);
  return out;
}

/** A fresh temporary folder. */
export const tempDir = (prefix = 'covseg-onnx-') => mkdtempSync(join(tmpdir(), prefix));

/** Exports `model`, runs it in ONNX Runtime and in tfjs on n synthetic slices, and compares. */
export async function exportAndCompare(model: tf.LayersModel, n: number, size: number, cfg: Partial<ExportConfig> = {}): Promise<ParityStats> {
  const file = join(tempDir(), 'm.onnx');
  writeFileSync(file, encodeModel(tfjsToOnnx(model, TEST_CARD, { ...DEFAULT_EXPORT_CONFIG, ...cfg })));
  const seg = await createOnnxSegmenter(file, DEFAULT_EXPORT_CONFIG.runtime);
  const x = syntheticBatch(n, size);
  const ort = await seg.predict(x, n, size, size);
  await seg.release();
  const ref = predictNchw(model, x, n, size, size, n);
  return compareProbabilities(ref, ort, n, TEST_CARD.classNames.length, size, size);
}

/** libs/unet's default `unet` section with test overrides (follows that schema as it evolves). */
export function unetTestConfig(overrides: Partial<UnetConfig>): UnetConfig {
  return UnetConfig.parse({ ...(defaultConfigSection('unet') as object), ...overrides });
}
