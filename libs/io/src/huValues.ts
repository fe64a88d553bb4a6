import { InputError } from './errors.js';

/** Limits of the HU values covseg accepts (a CT's air is ≈ -1000 HU, dense bone/metal ≤ a few 1000 HU). */
export const HU_LIMITS = { min: -32768, max: 32767 } as const;

/** Plausible voxel spacing of a CT, mm: beyond this a header is broken (or not a CT), whatever it claims. */
export const SPACING_LIMITS_MM = { min: 0.01, max: 50 } as const;

/** Throws a one-line InputError when a spacing [sz, sy, sx] (mm) is not finite or outside SPACING_LIMITS_MM. */
export function checkSpacing(spacing: readonly number[], source: string): void {
  const axis = ['z (slice)', 'y (row)', 'x (column)'];
  spacing.forEach((s, i) => {
    if (!Number.isFinite(s) || s < SPACING_LIMITS_MM.min || s > SPACING_LIMITS_MM.max)
      throw new InputError(`implausible ${axis[i]} spacing ${s} mm (accepted ${SPACING_LIMITS_MM.min}–${SPACING_LIMITS_MM.max} mm): broken header?`, source);
  });
}

/**
 * Converts voxel values (already in HU) to Int16Array: rejects NaN/Inf, values outside int16,
 * and data that cannot be HU (no negative value at all: e.g. raw stored values without rescale).
 */
export function huInt16From(values: ArrayLike<number>, source: string, opts: { requireNegative?: boolean } = {}): Int16Array {
  if (values instanceof Int16Array) {
    if (opts.requireNegative !== false) checkHasNegative(values, source);
    return values;
  }
  const n = values.length;
  const out = new Int16Array(n);
  let bad = -1, badCount = 0, outside = -1;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      if (bad < 0) bad = i;
      badCount++;
      continue;
    }
    const r = Math.round(v);
    if (r < HU_LIMITS.min || r > HU_LIMITS.max) {
      if (outside < 0) outside = i;
      continue;
    }
    out[i] = r;
  }
  if (badCount > 0) throw new InputError(`${badCount} voxel(s) are NaN or Inf (first at voxel index ${bad})`, source);
  if (outside >= 0) throw new InputError(`value ${values[outside]} at voxel index ${outside} is outside the int16 HU range`, source);
  if (opts.requireNegative !== false) checkHasNegative(out, source);
  return out;
}

function checkHasNegative(v: Int16Array, source: string): void {
  let min = Infinity;
  for (let i = 0; i < v.length; i++) if (v[i] < min) min = v[i];
  if (min >= 0) {
    throw new InputError(`values are not Hounsfield units: minimum is ${min} (air should be ≈ -1000 HU; a missing RescaleIntercept or a non-CT image?)`, source);
  }
}

/** [min, max] of an Int16Array (HU). */
export function huRange(v: Int16Array): [number, number] {
  let lo = 32767, hi = -32768;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}
