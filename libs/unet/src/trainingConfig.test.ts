import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AugmentConfig, TrainConfig, UnetConfig } from './config.js';
import { resolveTrainingSections } from './trainingConfig.js';

const part = (name: string) => JSON.parse(readFileSync(new URL(`../../../configs/parts/${name}.json`, import.meta.url), 'utf8'));

describe('training config sections', () => {
  it('the default parts validate and carry the paper numbers', () => {
    const unet = UnetConfig.parse(part('unet'));
    expect(unet.window).toEqual({ low: -1024, high: 300 });
    expect(unet.inputSize).toBe(512);
    AugmentConfig.parse(part('augment'));
    TrainConfig.parse(part('train'));
  });

  it('merges a config file and --set overrides over the defaults', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'covseg-cfg-')), 'c.json');
    writeFileSync(f, JSON.stringify({ unet: { inputSize: 128 }, phantom: { ignored: true } }));
    const s = resolveTrainingSections(f, ['train.epochs=3', 'augment.flipY.p=0.25']);
    expect([s.unet.inputSize, s.unet.depth, s.train.epochs, s.augment.flipY.p]).toEqual([128, 4, 3, 0.25]);
  });

  it('names the bad key and the file', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'covseg-cfg-')), 'bad.json');
    writeFileSync(f, JSON.stringify({ unet: { inputSize: 100 } }));
    expect(() => resolveTrainingSections(f)).toThrow(/bad.json: invalid config at unet: unet.inputSize must be divisible by 2\^depth/);
    expect(() => resolveTrainingSections(undefined, ['train.batchSize=0'])).toThrow(/invalid config at train.batchSize/);
    expect(() => resolveTrainingSections(undefined, ['train.bogus=1'])).toThrow(/invalid config at train/);
  });
});
