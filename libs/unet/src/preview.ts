import { join } from 'node:path';
import { PNG } from 'pngjs';
import { aboutFile, LABEL_COLOURS, writeFileAtomicSync, rngFor } from '@covseg/io';
import type { TrainingSections } from './config.js';
import { epochOrder, loadBatch, openDataset, splitByPatient } from './dataset.js';

/** Background (drawn with opacity 0). */
const NO_COLOUR: [number, number, number] = [0, 0, 0];
const OVERLAY_ALPHA = 0.45;

/** One PNG: the network input (grey, [0,1] → 0–255) left, the same with the label overlaid right. */
export function pairToPng(image: Float32Array, label: Uint8Array, size: number): Buffer {
  const png = new PNG({ width: 2 * size, height: size });
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const g = Math.round(255 * Math.min(1, Math.max(0, image[i])));
      const c = LABEL_COLOURS[label[i]] ?? NO_COLOUR;
      const a = label[i] === 0 ? 0 : OVERLAY_ALPHA;
      const put = (px: number, rgb: [number, number, number]) => {
        const o = 4 * (y * 2 * size + px);
        png.data[o] = rgb[0];
        png.data[o + 1] = rgb[1];
        png.data[o + 2] = rgb[2];
        png.data[o + 3] = 255;
      };
      put(x, [g, g, g]);
      put(size + x, [0, 1, 2].map((k) => Math.round(g * (1 - a) + c[k] * a)) as [number, number, number]);
    }
  return PNG.sync.write(png);
}

/** Writes N augmented training pairs (what the network sees in epoch 1) to OUT/preview-NNN.png; returns the paths. */
export function writeAugmentPreview(shards: string, outDir: string, count: number, sections: TrainingSections): string[] {
  const ds = openDataset(shards);
  const { train } = sections;
  const split = aboutFile(shards, () => splitByPatient(ds.index.slices, train.validationFraction, train.seed));
  const order = epochOrder(ds.index.slices, split.train, Math.ceil(count / train.batchSize) * train.batchSize, train, rngFor(train.seed, 0));
  const size = sections.unet.inputSize;
  const paths: string[] = [];
  const px = size * size;
  let batch: ReturnType<typeof loadBatch> | null = null;
  for (let k = 0; k < count; k++) {
    const step = Math.floor(k / train.batchSize);
    const j = k % train.batchSize;
    if (j === 0 || !batch) batch = loadBatch(ds, order.slice(step * train.batchSize, (step + 1) * train.batchSize), size, sections.unet.window, { cfg: sections.augment, seed: train.seed, epoch: 0, step });
    const p = join(outDir, `preview-${String(k).padStart(3, '0')}.png`);
    writeFileAtomicSync(p, pairToPng(batch.x.subarray(j * px, (j + 1) * px), batch.y.subarray(j * px, (j + 1) * px), size));
    paths.push(p);
  }
  return paths;
}
