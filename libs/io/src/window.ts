import { InputError } from './errors.js';
import { HU_LIMITS } from './huValues.js';

/** A display window: gray 0 ↔ `low` HU, gray 255 ↔ `high` HU. */
export interface HuWindow {
  low: number;
  high: number;
}

/** Parses "LO,HI" (HU, LO < HI) as given to --window; 'auto' is handled by the caller. */
export function parseWindow(spec: string): HuWindow {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(spec);
  if (!m || !(+m[1] < +m[2])) throw new InputError(`--window '${spec}' is not LO,HI in HU with LO < HI (e.g. -1250,250) or 'auto'`);
  return { low: +m[1], high: +m[2] };
}

/** Maps 8-bit gray values linearly to HU: hu = low + g·(high − low)/255, rounded to the nearest integer (clamped to int16). */
export function grayToHu(gray: Uint8Array, w: HuWindow): Int16Array {
  const lut = new Int16Array(256);
  for (let g = 0; g < 256; g++) lut[g] = Math.max(HU_LIMITS.min, Math.min(HU_LIMITS.max, Math.round(w.low + (g * (w.high - w.low)) / 255)));
  const out = new Int16Array(gray.length);
  for (let i = 0; i < gray.length; i++) out[i] = lut[gray[i]];
  return out;
}
