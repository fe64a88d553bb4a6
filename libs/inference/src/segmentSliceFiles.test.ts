import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { defaultConfigSection, ingestConfigSchema } from '@covseg/io';
import { PredictConfig } from './config.js';
import { readLabelPng } from '@covseg/evaluate';
import { segmentSliceFiles } from './segmentSliceFiles.js';
import type { Segmenter } from './segmenter.js';

const cfg: PredictConfig = PredictConfig.parse(defaultConfigSection('predict'));
const ingest = ingestConfigSchema.parse(defaultConfigSection('ingest'));
const N = 16;

/** HU → class by thresholds: < -500 lung, < -100 GGO, else vessels (one-hot probabilities). */
const classOf = (hu: number) => (hu < -500 ? 1 : hu < -100 ? 2 : 4);
const thresholdSegmenter: Segmenter = {
  name: 'threshold', inputSize: [N, N], window: [-1024, 300],
  async predict(batch, n, h, w) {
    const out = new Float32Array(n * 5 * h * w);
    for (let k = 0; k < n; k++)
      for (let i = 0; i < h * w; i++) out[k * 5 * h * w + classOf(-1024 + batch[k * h * w + i] * 1324) * h * w + i] = 1;
    return out;
  },
};

describe('segmentSliceFiles (covseg predict on pictures)', () => {
  it('writes <image>.png label maps of the input size and report.csv; a corrupt picture is skipped and reported', async () => {
    const d = mkdtempSync(join(tmpdir(), 'covseg-slices-'));
    const gray = Uint8Array.from({ length: N * N }, (_, i) => (i * 7) % 256);
    const png = new PNG({ width: N, height: N });
    gray.forEach((g, i) => png.data.set([g, g, g, 255], 4 * i));
    writeFileSync(join(d, 'scan 1.png'), PNG.sync.write(png));
    writeFileSync(join(d, 'bad.jpg'), Buffer.from([0xff, 0xd8, 0xff]));
    const errors: string[] = [];
    const out = join(d, 'out');
    const outcomes = await segmentSliceFiles(d, out, { segmenter: thresholdSegmenter, cfg, ingest: { ...ingest, window: [-1000, 275] }, lungmask: null, quiet: true, onError: (o) => errors.push(`${o.id}: ${o.error}`) });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^bad: .*bad\.jpg/);
    const labels = readLabelPng(join(out, 'scan_1.png'));
    expect([labels.width, labels.height]).toEqual([N, N]);
    const expected = Array.from(gray, (g) => classOf(-1000 + 5 * g));
    expect(Array.from(labels.data)).toEqual(expected);
    const csv = readFileSync(join(out, 'report.csv'), 'utf8').trim().split('\n').map((r) => r.split(','));
    expect(csv).toHaveLength(2);
    const row = Object.fromEntries(csv[0].map((k, i) => [k, csv[1][i]]));
    expect(row.image).toBe('scan_1');
    expect([row.window, row.window_low, row.window_high]).toEqual(['given', '-1000', '275']);
    expect(+row.ggo_px).toBe(expected.filter((v) => v === 2).length);
    expect(+row.lung_px).toBe(N * N);
    expect(outcomes.map((o) => !!o.row)).toEqual([false, true]);
  });
});
