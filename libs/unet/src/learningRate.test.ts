import { describe, expect, it } from 'vitest';
import { learningRateAt } from './learningRate.js';

describe('learning-rate schedule', () => {
  it('constant: the base rate at every step; warm-up rises linearly to it', () => {
    const c = { kind: 'constant' as const, warmupSteps: 0, minFactor: 0 };
    expect([0, 5, 99].map((s) => learningRateAt(s, 100, 0.01, c))).toEqual([0.01, 0.01, 0.01]);
    const w = { ...c, warmupSteps: 3 };
    expect([0, 1, 2, 3, 50].map((s) => learningRateAt(s, 100, 0.01, w))).toEqual([0.0025, 0.005, 0.0075, 0.01, 0.01]);
  });

  it('cosine: base right after warm-up, half-way at the middle, minFactor·base at the last step', () => {
    const c = { kind: 'cosine' as const, warmupSteps: 10, minFactor: 0.1 };
    expect(learningRateAt(10, 111, 1, c)).toBe(1);
    expect(learningRateAt(60, 111, 1, c)).toBeCloseTo(0.55, 12);
    expect(learningRateAt(110, 111, 1, c)).toBeCloseTo(0.1, 12);
    // monotone after warm-up
    const r = Array.from({ length: 100 }, (_, s) => learningRateAt(s + 10, 111, 1, c));
    expect(r.every((v, i) => i === 0 || v <= r[i - 1])).toBe(true);
  });
});
