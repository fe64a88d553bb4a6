import { InputError } from './errors.js';

/** What pooling needs of a per-picture estimate: the window (HU), its sd and the systematic part of that sd (HU). */
export interface PoolableWindow {
  low: number;
  high: number;
  sdLow: number;
  sdHigh: number;
  systematicSdLow: number;
  systematicSdHigh: number;
}

/** A window pooled over the pictures of one folder (HU), with its sd (HU) and the number of pictures pooled. */
export interface PooledWindow {
  low: number;
  high: number;
  sdLow: number;
  sdHigh: number;
  pictures: number;
}

/**
 * Inverse-variance weighted mean of per-picture estimates (pictures of one series share a window): low, high and
 * their sd = √(sd of the weighted mean² + median systematic sd²), since the landmarks' HU error is common to all.
 */
export function poolWindowEstimates(estimates: readonly PoolableWindow[]): PooledWindow {
  if (!estimates.length) throw new InputError('no picture gave a window estimate to pool');
  const pool = (v: (e: PoolableWindow) => number, sd: (e: PoolableWindow) => number) => {
    let sw = 0, s = 0;
    for (const e of estimates) {
      const w = 1 / Math.max(1, sd(e)) ** 2;
      (sw += w), (s += w * v(e));
    }
    return [s / sw, 1 / Math.sqrt(sw)];
  };
  const median = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1];
  const [low, statLow] = pool((e) => e.low, (e) => e.sdLow);
  const [high, statHigh] = pool((e) => e.high, (e) => e.sdHigh);
  const sdLow = Math.hypot(statLow, median(estimates.map((e) => e.systematicSdLow)));
  const sdHigh = Math.hypot(statHigh, median(estimates.map((e) => e.systematicSdHigh)));
  return { low: Math.round(low), high: Math.round(high), sdLow: Math.round(sdLow), sdHigh: Math.round(sdHigh), pictures: estimates.length };
}
