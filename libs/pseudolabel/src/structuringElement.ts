import type { Connectivity } from './config.js';

/** Offsets [dz, dy, dx] of a 3D structuring element. */
export type Offsets = [number, number, number][];

/**
 * The elementary 3×3×3 element of a connectivity (6: faces, 18: + edges, 26: + corners) iterated
 * `radius` times (scipy's iterate_structure): 6 → L1 ≤ r, 18 → L∞ ≤ r and L1 ≤ 2r, 26 → L∞ ≤ r.
 * Includes the centre.
 */
export function structuringElement(connectivity: Connectivity, radius: number): Offsets {
  const out: Offsets = [];
  const maxL1 = connectivity === 6 ? radius : connectivity === 18 ? 2 * radius : 3 * radius;
  for (let dz = -radius; dz <= radius; dz++)
    for (let dy = -radius; dy <= radius; dy++)
      for (let dx = -radius; dx <= radius; dx++) if (Math.abs(dz) + Math.abs(dy) + Math.abs(dx) <= maxL1) out.push([dz, dy, dx]);
  return out;
}

/** The neighbours of a voxel under a connectivity (the radius-1 element without its centre). */
export function neighbourOffsets(connectivity: Connectivity): Offsets {
  return structuringElement(connectivity, 1).filter(([a, b, c]) => a || b || c);
}

/** The element used on a volume: in-plane only for a single slice (a 2D image gets a 2D element, as in scipy). */
export function structuringElementFor(shape: readonly [number, number, number], connectivity: Connectivity, radius: number): Offsets {
  const se = structuringElement(connectivity, radius);
  return shape[0] === 1 ? se.filter(([dz]) => dz === 0) : se;
}
