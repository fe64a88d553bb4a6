/**
 * The canonical in-memory CT volume.
 *
 * Axis order: arrays are indexed (z, y, x) in C order, x fastest:
 *   index = x + nx * (y + ny * z)
 * This is the same memory order as ITK / itk-wasm images and NIfTI files (i fastest).
 * `shape`, `spacing` are given as [z, y, x]; `origin` is [x, y, z] in patient LPS mm (ITK convention)
 * and `direction` is ITK's 3×3 direction cosine matrix, row-major, columns = image axes (x, y, z).
 */
export interface Volume {
  /** Hounsfield units, one value per voxel, index = x + nx*(y + ny*z). */
  data: Int16Array;
  /** [nz, ny, nx] voxels. */
  shape: [number, number, number];
  /** [sz, sy, sx] mm. */
  spacing: [number, number, number];
  /** Physical position of voxel (0,0,0), [x, y, z] LPS mm. */
  origin: [number, number, number];
  /** 3×3 direction cosines, row-major, ITK convention (column j = direction of image axis j: x, y, z). */
  direction: number[];
}

/** Geometry of a volume without its voxels. */
export type Geometry = Omit<Volume, 'data'>;

/** A voxel map on a volume's grid (labels, masks, features). */
export interface VoxelMap<T extends Int16Array | Uint8Array | Float32Array> extends Geometry {
  data: T;
}

export type LabelVolume = VoxelMap<Uint8Array>;
export type FloatVolume = VoxelMap<Float32Array>;

/** Number of voxels of a [z, y, x] shape. */
export function voxelCount(shape: readonly [number, number, number]): number {
  return shape[0] * shape[1] * shape[2];
}

/** Volume of one voxel in mm³. */
export function voxelVolumeMm3(spacing: readonly [number, number, number]): number {
  return spacing[0] * spacing[1] * spacing[2];
}

/** Geometry (shape, spacing, origin, direction) copied from a volume. */
export function geometryOf(v: Geometry): Geometry {
  return { shape: [...v.shape], spacing: [...v.spacing], origin: [...v.origin], direction: [...v.direction] };
}

/** Identity direction (axial, LPS). */
export const IDENTITY_DIRECTION: readonly number[] = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** True when two geometries describe the same voxel grid (shape exact; spacing/origin within tol mm). */
export function sameGrid(a: Geometry, b: Geometry, tolMm = 1e-3): boolean {
  if (a.shape.some((s, i) => s !== b.shape[i])) return false;
  for (let i = 0; i < 3; i++) {
    if (Math.abs(a.spacing[i] - b.spacing[i]) > tolMm) return false;
    if (Math.abs(a.origin[i] - b.origin[i]) > tolMm) return false;
  }
  return a.direction.every((d, i) => Math.abs(d - b.direction[i]) < 1e-4);
}

/** Physical LPS position (mm) of voxel (z, y, x). */
export function voxelToPatientMm(g: Geometry, z: number, y: number, x: number): [number, number, number] {
  const idx = [x * g.spacing[2], y * g.spacing[1], z * g.spacing[0]];
  const out: [number, number, number] = [0, 0, 0];
  for (let r = 0; r < 3; r++) {
    out[r] = g.origin[r] + g.direction[r * 3] * idx[0] + g.direction[r * 3 + 1] * idx[1] + g.direction[r * 3 + 2] * idx[2];
  }
  return out;
}
