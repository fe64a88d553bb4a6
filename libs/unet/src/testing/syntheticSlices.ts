import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardWriter, sliceKey, type SliceRecord, Rng, rngFor } from '@covseg/io';
import type { TrainingSections } from '../config.js';

/** HU of the synthetic tissues (typical CT values). */
const HU = { air: -1000, body: 40, lung: -850, ggo: -450, consolidation: 30, vessel: 60 };
const NOISE_HU = 25;

/**
 * A phantom-like axial slice (size×size): body ellipse, two lung ellipses, vessel segments, and
 * 0–2 lesion blobs (GGO or consolidation) inside the lungs, with Gaussian noise. Exact labels.
 */
export function syntheticSlice(size: number, rng: Rng): { image: Int16Array; label: Uint8Array } {
  const image = new Int16Array(size * size);
  const label = new Uint8Array(size * size);
  const c = (size - 1) / 2;
  const inEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
  const lungs = [-1, 1].map((side) => ({ cx: c + side * size * rng.uniform(0.2, 0.24), cy: c + rng.uniform(-0.04, 0.04) * size, rx: size * rng.uniform(0.15, 0.19), ry: size * rng.uniform(0.26, 0.32) }));
  const blobs = Array.from({ length: rng.int(0, 3 - 1) }, () => {
    const l = lungs[rng.int(0, 2 - 1)];
    return { cx: l.cx + rng.uniform(-0.5, 0.5) * l.rx, cy: l.cy + rng.uniform(-0.5, 0.5) * l.ry, r: size * rng.uniform(0.06, 0.12), cls: rng.chance(0.5) ? 2 : 3 };
  });
  const vessels = Array.from({ length: 2 }, () => {
    const l = lungs[rng.int(0, 2 - 1)];
    return { y: Math.round(l.cy + rng.uniform(-0.6, 0.6) * l.ry), x0: Math.round(l.cx - 0.6 * l.rx), x1: Math.round(l.cx + 0.6 * l.rx) };
  });
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      let hu = HU.air;
      let lab = 0;
      if (inEllipse(x, y, c, c, size * 0.47, size * 0.42)) hu = HU.body;
      const lung = lungs.find((l) => inEllipse(x, y, l.cx, l.cy, l.rx, l.ry));
      if (lung) {
        hu = HU.lung;
        lab = 1;
        if (vessels.some((v) => v.y === y && x >= v.x0 && x <= v.x1)) (hu = HU.vessel), (lab = 4);
        const blob = blobs.find((b) => (x - b.cx) ** 2 + (y - b.cy) ** 2 <= b.r ** 2);
        if (blob) (hu = blob.cls === 2 ? HU.ggo : HU.consolidation), (lab = blob.cls);
      }
      image[i] = Math.round(hu + NOISE_HU * rng.normal());
      label[i] = lab;
    }
  return { image, label };
}

/** Writes `cases`×`slicesPerCase` synthetic slices into a new shard store at DIR. */
export function writeSyntheticShards(dir: string, cases: number, slicesPerCase: number, size: number, seed: number, maxShardBytes?: number): SliceRecord[] {
  const w = new ShardWriter(dir, maxShardBytes ? { maxShardBytes } : {});
  const records: SliceRecord[] = [];
  for (let k = 0; k < cases; k++)
    for (let z = 0; z < slicesPerCase; z++) {
      const caseId = `case${String(k).padStart(3, '0')}`;
      const { image, label } = syntheticSlice(size, rngFor(seed, k, z));
      const r: SliceRecord = { key: sliceKey(caseId, z), caseId, sliceIndex: z, height: size, width: size, spacing: [1, 1], image, label };
      w.add(r);
      records.push(r);
    }
  w.close();
  return records;
}

/** A new temp shard store of `cases`×`perCase` synthetic slices of size² (small shard files, so tests cross shard boundaries). */
export function syntheticShardDir(cases: number, perCase: number, size = 32, seed = 3): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'covseg-shards-')), 'shards');
  writeSyntheticShards(dir, cases, perCase, size, seed, 4000);
  return dir;
}

/** Tiny training sections for tests: 32² U-Net of depth 2, base 8, no augmentation unless given. */
export function tinySections(over: { unet?: Partial<TrainingSections['unet']>; augment?: Partial<TrainingSections['augment']>; train?: Partial<TrainingSections['train']> } = {}): TrainingSections {
  return {
    unet: { inputSize: 32, depth: 2, baseFilters: 8, kernelSize: 3, batchNorm: true, batchNormMomentum: 0.9, dropout: 0.1, upsampling: 'transpose', window: { low: -1024, high: 300 }, seed: 1, ...over.unet },
    augment: {
      enabled: false, noise: { p: 0.5, sigma: [0, 0.02] }, scale: { p: 0.5, range: [0.9, 1.1] }, rotation: { p: 0.5, degrees: [-10, 10] }, blur: { p: 0.3, sigma: [0.5, 1] }, flipX: { p: 0.5 }, flipY: { p: 0 },
      ...over.augment,
    },
    train: {
      seed: 7, epochs: 2, stepsPerEpoch: 3, batchSize: 4, learningRate: 0.01, schedule: { kind: 'constant', warmupSteps: 0, minFactor: 0 }, adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, validationFraction: 0.25, validationMaxSlices: 0,
      shuffleBuffer: 8, classBalanced: false, correctedOversample: 1, loss: { crossEntropyWeight: 1, diceWeight: 1, classWeights: [1, 1, 1, 1, 1], diceSmooth: 1, correctedWeight: 1 }, earlyStopping: { patience: 0, minDelta: 0 },
      checkpointEverySteps: 0, keepCheckpoints: 2, ...over.train,
    },
  };
}
