import { describe, expect, it } from 'vitest';
import { poolWindowEstimates } from './poolWindowEstimates.js';

describe('poolWindowEstimates', () => {
  it('weighted mean of the pictures of one folder; the sd keeps the shared systematic part', () => {
    const a = { low: -1000, high: 200, sdLow: 10, sdHigh: 10, systematicSdLow: 50, systematicSdHigh: 30 };
    const b = { ...a, low: -1100, high: 300, sdLow: 30, sdHigh: 30 };
    const p = poolWindowEstimates([a, b]);
    expect(p.low).toBe(Math.round((-1000 / 100 + -1100 / 900) / (1 / 100 + 1 / 900))); // -1010
    expect(p.sdLow).toBe(Math.round(Math.hypot(1 / Math.sqrt(1 / 100 + 1 / 900), 50)));
    expect(p.pictures).toBe(2);
    expect(() => poolWindowEstimates([])).toThrow(/no picture/);
  });
});
