/**
 * The phantom's physical frame: millimetres from the volume centre, X left→right of the image
 * (patient left, LPS), Y anterior→posterior, Z inferior→superior; anatomy scales with the half extents.
 */
export interface Frame {
  shape: [number, number, number];
  spacing: [number, number, number];
  /** Half extents [HX, HY, HZ] mm. */
  half: [number, number, number];
}

export function makeFrame(shape: [number, number, number], spacing: [number, number, number]): Frame {
  return { shape, spacing, half: [(shape[2] * spacing[2]) / 2, (shape[1] * spacing[1]) / 2, (shape[0] * spacing[0]) / 2] };
}

/** mm coordinate of voxel index i along an axis of n voxels with spacing s. */
export const axisMm = (i: number, n: number, s: number) => (i - (n - 1) / 2) * s;

/** Voxel index range [lo, hi] covering mm interval [a, b] along an axis. */
export function voxelRange(a: number, b: number, n: number, s: number): [number, number] {
  const lo = Math.max(0, Math.floor(a / s + (n - 1) / 2));
  const hi = Math.min(n - 1, Math.ceil(b / s + (n - 1) / 2));
  return [lo, hi];
}

export type Vec3 = [number, number, number];

/** Soft-edge occupancy in [0,1] of a surface at signed distance d (mm, negative inside) for an edge width w (mm). */
export const occupancy = (d: number, w: number) => (d <= -w / 2 ? 1 : d >= w / 2 ? 0 : 0.5 - d / w);
