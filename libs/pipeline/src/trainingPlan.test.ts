import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CONFIG_DIR } from '@covseg/io';
import { loadConfig } from './loadConfig.js';
import { amdahlTime, plannedSeconds, serialFraction, trainingPlan } from './trainingPlan.js';

describe('trainingPlan (what --estimate prices)', () => {
  it("counts the paper config's steps and segmented slices from its numbers", () => {
    const { config } = loadConfig({ file: join(CONFIG_DIR, 'paper.json') });
    // Unet-A: 9,000 slices, 10 % validation = 900 (under the cap of 1,000), (9,000 − 900) / 8 = 1,013 steps/epoch, 50 epochs
    // relabel: 20,000 slices × 2 for the test-time flip; Unet-B: 20,000 slices, 1,000 validation (capped), 2,375 steps/epoch
    const [a, r, b] = trainingPlan(config, null);
    expect(a).toMatchObject({ stage: 'unet-a', trainSteps: 50 * 1013, inferSlices: 50 * 900 });
    expect(r).toMatchObject({ stage: 'relabel', trainSteps: 0, inferSlices: 40000 });
    expect(r.basis).toMatch(/lower bound/);
    expect(b).toMatchObject({ stage: 'unet-b', trainSteps: 50 * 2375, inferSlices: 50 * 1000 });
    expect(trainingPlan(config, 60000)[1].inferSlices).toBe(120000);
  });

  it("uses Unet-B's own train keys and a fixed stepsPerEpoch when set", () => {
    const { config } = loadConfig({ file: join(CONFIG_DIR, 'demo.json'), sets: ['predict.testTimeFlip=false'] });
    const [a, r, b] = trainingPlan(config, 1234);
    expect(a).toMatchObject({ trainSteps: 14 * 20, inferSlices: 14 * 64 }); // 600 × 0.15 = 90 → capped at 64
    expect(r.inferSlices).toBe(1234);
    expect(b).toMatchObject({ trainSteps: 5 * 20, inferSlices: 5 * 64 });
  });

  it('prices work and extrapolates threads by Amdahl exactly', () => {
    expect(plannedSeconds({ stage: 'unet-a', trainSteps: 100, inferSlices: 50, basis: '' }, 2000, 40)).toBe(202);
    // t1 = 10, t2 = 6 → serial f = (0.6 − 0.5) / 0.5 = 0.2; 32 cores: 10 × (0.2 + 0.8 / 32) = 2.25
    expect(serialFraction([{ threads: 1, ms: 10 }, { threads: 2, ms: 6 }])).toBeCloseTo(0.2, 12);
    expect(amdahlTime(10, 0.2, 32)).toBeCloseTo(2.25, 12);
    // points that follow the law exactly give its fraction back (f = 0.3 at 2, 4 and 8 threads)
    const law = [1, 2, 4, 8].map((t) => ({ threads: t, ms: 100 * (0.3 + 0.7 / t) }));
    expect(serialFraction(law)).toBeCloseTo(0.3, 12);
    expect(serialFraction([{ threads: 1, ms: 10 }, { threads: 2, ms: 12 }])).toBe(1); // slower with more threads: clamped
    expect(serialFraction([{ threads: 1, ms: 10 }, { threads: 2, ms: 4 }])).toBe(0); // super-linear (noise): clamped
    expect(serialFraction([{ threads: 2, ms: 6 }])).toBeNull();
  });
});

describe('formatTrainingEstimate', () => {
  it('prices each stage per measured thread count and at the extrapolated core count', async () => {
    const { formatTrainingEstimate } = await import('./estimateTraining.js');
    const md = formatTrainingEstimate({
      backend: 'native-cpu', cores: 32, serialFraction: 0.2,
      measured: [{ threads: 1, cost: { trainStepMs: 1000, inferSliceMs: 10, steps: 3 } }, { threads: 2, cost: { trainStepMs: 600, inferSliceMs: 6, steps: 3 } }],
      plan: [{ stage: 'unet-a', trainSteps: 100, inferSlices: 50, basis: 'b' }, { stage: 'relabel', trainSteps: 0, inferSlices: 360000, basis: 'r' }],
    });
    // unet-a: 100.5 s, 60.3 s, 100.5 × (0.2 + 0.8 / 32) = 22.6 s; relabel: 3,600 s, 2,160 s, 810 s
    expect(md).toContain('| unet-a | 100 steps + 50 slices segmented (b) | 1.7 min | 1.0 min | 0.4 min |');
    expect(md).toContain('| relabel | 0 steps + 360000 slices segmented (r) | 1.0 h | 36.0 min | 13.5 min |');
    expect(md).toContain('| total | | 1.0 h | 37.0 min | 13.9 min |');
    expect(md).toContain('serial fraction 0.20 (Amdahl)');
  });
});
