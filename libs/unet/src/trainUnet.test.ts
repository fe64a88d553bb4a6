import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { Adam } from './adam.js';
import { listCheckpoints, CHECKPOINTS_DIR } from './checkpoint.js';
import { loadBatch, openDataset } from './dataset.js';
import { buildUnet, dropoutLayers } from './model.js';
import { writeAugmentPreview } from './preview.js';
import { loadUnet } from './savedUnet.js';
import { copyWeightsFrom, trainStep, trainUnet, validate } from './trainUnet.js';
import { useDeterministicCpu } from '@covseg/tfjs-backend';
import { syntheticShardDir, tinySections } from './testing/syntheticSlices.js';

beforeAll(useDeterministicCpu);

const tmp = () => mkdtempSync(join(tmpdir(), 'covseg-unet-train-'));
const shards = syntheticShardDir;

describe('initial weights (Unet-B from Unet-A)', () => {
  it("a new run starts from another model folder's weights, every tensor equal; another architecture is refused", async () => {
    const dir = shards(4, 2);
    const a = join(tmp(), 'a');
    await trainUnet({ shards: dir, out: a, name: 'unet-a', sections: tinySections({ train: { epochs: 1, stepsPerEpoch: 1 } }) });
    const fresh = buildUnet({ ...tinySections().unet, seed: 99 });
    const source = await loadUnet(a);
    const same = (x: tf.Tensor[], y: tf.Tensor[]) => x.every((t, i) => tf.equal(t, y[i]).all().dataSync()[0] === 1);
    expect(same(fresh.getWeights(), source.model.getWeights())).toBe(false);
    await copyWeightsFrom(a, fresh, tinySections().unet, () => {});
    expect(same(fresh.getWeights(), source.model.getWeights())).toBe(true);
    await expect(copyWeightsFrom(a, buildUnet({ ...tinySections().unet, baseFilters: 4 }), { ...tinySections().unet, baseFilters: 4 }, () => {})).rejects.toThrow(/different architecture \(unet.baseFilters\)/);
    tf.dispose([fresh, source.model] as unknown as tf.Tensor[]);
  });
});

describe('trainUnet', () => {
  it('2 epochs == 1 epoch + kill + resume + 1 epoch, bit for bit (also when killed mid-epoch)', async () => {
    const dir = shards(4, 3, 16);
    const sections = tinySections({
      unet: { inputSize: 16, baseFilters: 4, dropout: 0.3 },
      augment: { enabled: true },
      train: { epochs: 2, stepsPerEpoch: 3, batchSize: 2, validationFraction: 0.25, checkpointEverySteps: 0 },
    });
    const run = async (killAt?: { epoch: number; step: number }) => {
      const out = join(tmp(), 'm');
      const ac = new AbortController();
      const first = await trainUnet({
        shards: dir, out, name: 'unet-a', sections, signal: ac.signal,
        onStep: (e, s) => killAt && e === killAt.epoch && s === killAt.step && ac.abort(),
      });
      if (killAt) {
        expect(first.status).toBe('interrupted');
        const again = await trainUnet({ shards: dir, out, name: 'unet-a', sections, resume: true });
        expect(again.status).toBe('completed');
      }
      const last = listCheckpoints(out).at(-1)!;
      expect(last).toBe('ckpt-e0002-s0000000');
      const files = ['weights.bin', 'optimizer.bin'].map((f) => readFileSync(join(out, CHECKPOINTS_DIR, last, f)));
      const history = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((h) => [h.trainLoss, h.validationLoss, h.dice]);
      return { files, history };
    };
    const straight = await run();
    for (const killAt of [{ epoch: 0, step: 2 }, { epoch: 0, step: 0 }, { epoch: 1, step: 1 }]) {
      const resumed = await run(killAt);
      expect(resumed.history).toEqual(straight.history);
      resumed.files.forEach((b, i) => expect(Buffer.compare(b, straight.files[i])).toBe(0));
    }
  });

  it('stops early when validation Dice stops improving, refuses to overwrite a run, rejects a changed config on resume', async () => {
    const dir = shards(4, 2, 16);
    const out = join(tmp(), 'm');
    const sections = tinySections({ unet: { inputSize: 16, baseFilters: 4 }, train: { epochs: 5, stepsPerEpoch: 1, batchSize: 2, earlyStopping: { patience: 1, minDelta: 2 } } });
    const r = await trainUnet({ shards: dir, out, name: 'unet-a', sections });
    expect(r.status).toBe('early-stopped');
    expect(r.epochs).toBe(2);
    await expect(trainUnet({ shards: dir, out, name: 'unet-a', sections })).rejects.toThrow(/already holds a training run; pass --resume/);
    const changed = { ...sections, train: { ...sections.train, learningRate: 0.5 } };
    await expect(trainUnet({ shards: dir, out, name: 'unet-a', sections: changed, resume: true })).rejects.toThrow(/training config differs/);
  });
});

describe('memory', () => {
  it('training steps and validation leave the tensor count flat', async () => {
    const dir = shards(3, 2, 16);
    const sections = tinySections({ unet: { inputSize: 16, baseFilters: 4, dropout: 0.2 } });
    const ds = openDataset(dir);
    const model = buildUnet(sections.unet);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const adam = new Adam(0.01, sections.train.adam, vars);
    const batch = loadBatch(ds, [0, 1, 2], 16, sections.unet.window);
    const step = (k: number) => trainStep(model, adam, vars, batch, sections.train.loss, dropoutLayers(model), k);
    await step(0);
    await validate(model, ds, [3, 4], 16, sections.unet.window, sections.train);
    const after1 = tf.memory().numTensors;
    for (let k = 1; k < 5; k++) await step(k);
    await validate(model, ds, [3, 4], 16, sections.unet.window, sections.train);
    expect(tf.memory().numTensors).toBe(after1);
    adam.dispose();
    model.dispose();
  });
});

describe('augmentation preview', () => {
  it('writes N PNGs of input | input + label overlay', () => {
    const dir = shards(3, 2, 16);
    const out = tmp();
    const paths = writeAugmentPreview(dir, out, 3, tinySections({ unet: { inputSize: 16 }, augment: { enabled: true } }));
    expect(paths.length).toBe(3);
    expect(readdirSync(out).sort()).toEqual(['preview-000.png', 'preview-001.png', 'preview-002.png']);
    const png = PNG.sync.read(readFileSync(paths[0]));
    expect([png.width, png.height]).toEqual([32, 16]);
  });
});
