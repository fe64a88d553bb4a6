import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfigSection, LABEL, LABEL_NAMES, rngFor, writeVolume } from '@covseg/io';
import { useDeterministicCpu } from '@covseg/tfjs-backend';
import { Confusion, loadBatch, loadUnet, openDataset, splitByPatient, syntheticShardDir, syntheticSlice, tinySections, trainUnet, type LoadedUnet, type TrainResult } from '@covseg/unet';
import { labelCounts, volumesLitres } from '@covseg/evaluate';
import { PredictConfig } from './config.js';
import { predictCase } from './predictCase.js';
import { tfjsSegmenter } from './segmenter.js';

/**
 * Train → save → load → segment, end to end: one tiny U-Net (depth 2, 60 steps on synthetic lesions,
 * pure-JS cpu kernels: the same numbers on every machine) trained once, then each property on its own.
 */
/** Measured on this fixture (deterministic: pure-JS kernels, seeded everything). */
const BEST_LESION_DICE = 0.723;
const BEST_LUNG_DICE = 0.980;
const BASELINE_LESION_DICE = 0.215;
const sections = tinySections({ train: { epochs: 6, stepsPerEpoch: 10, learningRate: 0.02 } });
let shards: string, out: string, run: TrainResult, unet: LoadedUnet;
let validation: { ids: number[]; x: Float32Array; y: Uint8Array };

beforeAll(async () => {
  await useDeterministicCpu();
  shards = syntheticShardDir(8, 4);
  out = join(mkdtempSync(join(tmpdir(), 'covseg-trained-unet-')), 'unet-a');
  run = await trainUnet({ shards, out, name: 'unet-a', sections });
  unet = await loadUnet(out);
  const ds = openDataset(shards);
  const ids = splitByPatient(ds.index.slices, sections.train.validationFraction, sections.train.seed).validation;
  validation = { ids, ...loadBatch(ds, ids, 32, sections.unet.window) };
}, 600_000);

describe('a tiny U-Net trained on synthetic lesions', () => {
  it('learns lesions: best validation lesion Dice 0.723 ± 0.005 (lung 0.980) where calling every lung pixel lesion scores 0.215', () => {
    const baseline = new Confusion();
    baseline.add(validation.y, validation.y.map((v) => (v > 0 ? LABEL.ggo : 0)));
    console.log(`validation lesion Dice ${run.bestScore} (epoch ${run.bestEpoch}), lung ${run.history[run.bestEpoch - 1].dice.lung}; lung-only baseline ${baseline.dice().lesion}`);
    expect(run.status).toBe('completed');
    expect(baseline.dice().lesion!).toBeCloseTo(BASELINE_LESION_DICE, 2);
    expect(run.bestScore!).toBeCloseTo(BEST_LESION_DICE, 2);
    expect(run.history[run.bestEpoch - 1].dice.lung!).toBeCloseTo(BEST_LUNG_DICE, 2);
  });

  it('writes the files a consumer reads: metrics per epoch, curves, the model and its best epoch', () => {
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(readFileSync(join(out, 'curves.svg'), 'utf8')).toContain('<polyline');
    for (const f of ['model.json', 'weights.bin', 'unet.json', 'best/model.json', 'best/unet.json']) expect(existsSync(join(out, f))).toBe(true);
    expect(unet.info.epoch).toBe(run.bestEpoch);
    expect(unet.info.classNames).toEqual([...LABEL_NAMES]);
  });

  it("the saved model, run through inference's tfjs Segmenter, reproduces the best epoch's validation Dice", async () => {
    const n = validation.ids.length;
    const probs = await tfjsSegmenter(unet).predict(validation.x, n, 32, 32);
    const px = 32 * 32;
    const labels = new Uint8Array(n * px);
    for (let k = 0; k < n; k++)
      for (let i = 0; i < px; i++) {
        let best = 0;
        for (let c = 1; c < LABEL_NAMES.length; c++) if (probs[(k * LABEL_NAMES.length + c) * px + i] > probs[(k * LABEL_NAMES.length + best) * px + i]) best = c;
        labels[k * px + i] = best;
      }
    const c = new Confusion();
    c.add(validation.y, labels);
    expect(c.dice().lesion).toBeCloseTo(run.bestScore!, 9);
  });

  it('`predict` on an unseen 8-slice volume: litres within 1.5 points of the measured lung −5.5 % and lesion −25.4 % (default predict config, test-time flip on; an untrained model is off by ~100 %)', async () => {
    const rng = rngFor(99, 1);
    const slices = Array.from({ length: 8 }, () => syntheticSlice(32, rng));
    const geometry = { shape: [8, 32, 32] as [number, number, number], spacing: [2, 0.7, 0.7] as [number, number, number], origin: [0, 0, 0] as [number, number, number], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    const vdir = mkdtempSync(join(tmpdir(), 'covseg-trained-unet-predict-'));
    await writeVolume(join(vdir, 'ct.nii.gz'), { ...geometry, data: Int16Array.from(slices.flatMap((x) => Array.from(x.image))) });
    const report = await predictCase('v', join(vdir, 'ct.nii.gz'), join(vdir, 'out'), {
      segmenter: tfjsSegmenter(unet), model: { name: 'unet-a', engine: 'tfjs', path: out, sha256: '-' }, cfg: PredictConfig.parse(defaultConfigSection('predict')), quiet: true,
    });
    const truth = volumesLitres(labelCounts(Uint8Array.from(slices.flatMap((x) => Array.from(x.label)))), geometry.spacing);
    const rel = (a: number, b: number) => (a - b) / b;
    const lung = rel(report.volumes_l.lung, truth.lung);
    const lesion = rel(report.volumes_l.ggo + report.volumes_l.consolidation, truth.ggo + truth.consolidation);
    console.log(`predict vs truth: lung ${(100 * lung).toFixed(2)} %, lesion ${(100 * lesion).toFixed(2)} %`);
    expect(Math.abs(lung - -0.0554)).toBeLessThan(0.015);
    expect(Math.abs(lesion - -0.2535)).toBeLessThan(0.015);
    tf.dispose(unet.model as unknown as tf.Tensor);
  });
});
