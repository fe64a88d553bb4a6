import { describe, expect, it } from 'vitest';
import { defaultConfigSection } from '@covseg/io';
import { AugmentConfig, TrainConfig, UnetConfig } from './config.js';

describe('training config sections', () => {
  it('the defaults validate and carry the paper numbers', () => {
    const unet = UnetConfig.parse(defaultConfigSection('unet'));
    expect(unet.window).toEqual({ low: -1024, high: 300 });
    expect(unet.inputSize).toBe(512);
    AugmentConfig.parse(defaultConfigSection('augment'));
    TrainConfig.parse(defaultConfigSection('train'));
  });

  it('rejects an input size the depth cannot halve, a zero batch and unknown keys', () => {
    const unet = defaultConfigSection('unet') as Record<string, unknown>;
    expect(UnetConfig.safeParse({ ...unet, inputSize: 100 }).error?.issues[0].message).toMatch(/divisible by 2\^depth/);
    const train = defaultConfigSection('train') as Record<string, unknown>;
    expect(TrainConfig.safeParse({ ...train, batchSize: 0 }).success).toBe(false);
    expect(TrainConfig.safeParse({ ...train, bogus: 1 }).success).toBe(false);
  });
});
