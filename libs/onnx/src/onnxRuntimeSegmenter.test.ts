import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXPORT_CONFIG } from './config.js';
import { writeOnnxFile } from './exportOnnx.js';
import { createOnnxSegmenter, predictNchw } from '@covseg/inference';
import { buildReferenceUnet } from './testing/referenceUnet.js';
import { syntheticBatch, TEST_CARD, tempDir } from './testing/harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('createOnnxSegmenter', () => {
  it('predicts per-pixel probabilities that sum to 1 and match tfjs, and exposes the metadata', async () => {
    const model = buildReferenceUnet({ depth: 2 });
    const file = join(tempDir(), 'seg.onnx');
    writeOnnxFile(file, model, TEST_CARD, DEFAULT_EXPORT_CONFIG);
    const seg = await createOnnxSegmenter(file, DEFAULT_EXPORT_CONFIG.runtime);
    expect(seg.metadata.classNames).toEqual(TEST_CARD.classNames);
    expect(seg.metadata.window).toEqual(TEST_CARD.window);
    expect(seg.metadata.inputMultiple).toBe(4);
    const [n, s] = [2, 64];
    const x = syntheticBatch(n, s);
    const p = await seg.predict(x, n, s, s);
    expect(p.length).toBe(n * 5 * s * s);
    const plane = s * s;
    for (const pixel of [0, 777, plane + 4000]) {
      const [img, px] = [Math.floor(pixel / plane), pixel % plane];
      const sum = [0, 1, 2, 3, 4].reduce((acc, c) => acc + p[(img * 5 + c) * plane + px], 0);
      expect(sum).toBeCloseTo(1, 5);
    }
    const ref = predictNchw(model, x, n, s, s, n);
    expect(Math.max(...p.map((v, i) => Math.abs(v - ref[i])))).toBeLessThan(1e-5);
    await expect(seg.predict(x, n, 60, 60)).rejects.toThrow(/expected n·h·w/);
    await expect(seg.predict(new Float32Array(2 * 66 * 66), 2, 66, 66)).rejects.toThrow(/not a multiple of 4/);
    await seg.release();
  });

  it('rejects a file that is not a covseg ONNX model with a one-line reason', async () => {
    const dir = tempDir();
    await expect(createOnnxSegmenter(join(dir, 'missing.onnx'), DEFAULT_EXPORT_CONFIG.runtime)).rejects.toThrow(/cannot read ONNX file/);
    const junk = join(dir, 'junk.onnx');
    writeFileSync(junk, 'this is not protobuf at all');
    await expect(createOnnxSegmenter(junk, DEFAULT_EXPORT_CONFIG.runtime)).rejects.toThrow(/not an ONNX model|lacks/);
  });
});

describe('OnnxSegmenter as libs/unet Segmenter', () => {
  it('carries name, input size and window from the metadata', async () => {
    const file = join(tempDir(), 's.onnx');
    writeOnnxFile(file, buildReferenceUnet({ depth: 2 }), TEST_CARD, DEFAULT_EXPORT_CONFIG);
    const seg = await createOnnxSegmenter(file, DEFAULT_EXPORT_CONFIG.runtime);
    expect([seg.name, seg.inputSize, seg.window]).toEqual([TEST_CARD.modelName, [64, 64], [-1024, 300]]);
    await seg.release();
  });
});
