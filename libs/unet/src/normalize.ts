import { InputError } from '@covseg/io';
import type { WindowConfig } from './config.js';

/** Maps HU to network input: clipped to [window.low, window.high] and scaled to [0, 1]. Throws on NaN/∞. */
export function normalizeWindow(hu: ArrayLike<number>, window: WindowConfig, out = new Float32Array(hu.length), source = 'image'): Float32Array {
  const span = window.high - window.low;
  for (let i = 0; i < hu.length; i++) {
    const v = hu[i];
    if (!Number.isFinite(v)) throw new InputError(`non-finite value (${v}) at pixel ${i}`, source);
    out[i] = (Math.min(Math.max(v, window.low), window.high) - window.low) / span;
  }
  return out;
}
