import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CONFIG_DIR } from '@covseg/io';
import { loadConfig } from './loadConfig.js';

describe('shipped configs', () => {
  it('paper.json carries the paper numbers', () => {
    const { config } = loadConfig({ file: join(CONFIG_DIR, 'paper.json') });
    expect(config.cluster.patients).toBe(50);
    expect(config.cluster.k).toBe(3);
    expect(config.pseudolabel.slices).toBe(9000);
    expect(config.review.count).toBe(50);
    expect(config.relabel.slices).toBe(20000);
    expect(config.unet.inputSize).toBe(512);
    expect(config.unet.window).toEqual({ low: -1024, high: 300 });
    expect(config.features.candidateMinHu).toBe(-700);
    expect(config.features.frangiSigmas).toEqual([1, 2, 3]);
  });

  it('demo.json and stoic.json validate; stoic uses mm sigmas and predicts every case', () => {
    const demo = loadConfig({ file: join(CONFIG_DIR, 'demo.json') }).config;
    expect(demo.pipeline.inputs).toEqual([]);
    expect(demo.pipeline.heldOutCases).toBeGreaterThanOrEqual(4);
    // Unet-B fine-tunes Unet-A: its own epochs and rate, the rest of the train section shared
    expect(demo.pipeline.unetBStart).toBe('unet-a');
    expect({ ...demo.train, ...demo.pipeline.unetBTrain }).toEqual({ ...demo.train, epochs: demo.pipeline.unetBTrain.epochs, learningRate: demo.pipeline.unetBTrain.learningRate });
    expect(() => loadConfig({ file: join(CONFIG_DIR, 'demo.json'), sets: ['pipeline.unetBTrain.epochs=0'] })).toThrow(/epochs/);
    const stoic = loadConfig({ file: join(CONFIG_DIR, 'stoic.json') }).config;
    expect(stoic.features.sigmaUnit).toBe('mm');
    expect(stoic.pipeline.predictCases).toBe('all');
    expect(stoic.pipeline.heldOutCases).toBe(0);
  });

  it('real-slices.json: 2D mode, folder-pooled auto window, expert reference scored with the COVID-SemiSeg map; the phantom variant adds the demo shards', () => {
    const c = loadConfig({ file: join(CONFIG_DIR, 'real-slices.json') }).config;
    expect([c.ingest.dimensions, c.ingest.window, c.ingest.autoWindowScope]).toEqual(['2d', 'auto', 'folder']);
    expect(c.pipeline.reference).toEqual({ labels: '../shared/data/infnet-covid-semiseg-train/MultiClassInfection-Train/GT', map: 'semiseg-multiclass' });
    expect(c.evaluate.maps[c.pipeline.reference!.map]).toEqual({ 1: 'ggo', 2: 'consolidation' });
    const p = loadConfig({ file: join(CONFIG_DIR, 'real-slices-phantom.json') }).config;
    expect(p.pipeline.extraTrainingShards).toEqual(['runs/demo/pseudolabel/shards']);
    expect({ ...p, pipeline: { ...p.pipeline, extraTrainingShards: [] } }).toEqual(c);
    const t = loadConfig({ file: join(CONFIG_DIR, 'real-slices-thick-vessels.json') }).config;
    expect([t.pseudolabel.cleaning.thickVesselOpening.radius, t.pseudolabel.cleaning.ggoOpening.radius]).toEqual([1, 0]);
    expect(c.pseudolabel.cleaning.thickVesselOpening.radius).toBe(0); // off unless asked
  });

  it('real-volumes.json: 3D with mm sigmas on the shared volumes, every case predicted, each COVID-CT-MD series scored against its slice labels', () => {
    const c = loadConfig({ file: join(CONFIG_DIR, 'real-volumes.json') }).config;
    expect([c.ingest.dimensions, c.features.sigmaUnit, c.pipeline.predictCases, c.pipeline.heldOutCases]).toEqual(['3d', 'mm', 'all', 0]);
    for (const s of c.pipeline.sliceLabels) expect(c.pipeline.inputs).toContain(s.input);
    expect(c.pipeline.sliceLabels.map((s) => s.csv.split('/').pop())).toEqual(['P001-slice-labels.csv', 'normal001-slice-labels.csv']);
    expect(c.evaluate.slices).toEqual(loadConfig({}).config.evaluate.slices); // the a-priori defaults, not tuned on these scans
  });
});
