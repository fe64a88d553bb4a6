import { totalmem } from 'node:os';
import { InputError } from '@covseg/io';

/**
 * Bytes of filter scratch per voxel of a z-block slab (the int16 copy, its float32 Gaussian, the six
 * Hessian components, three eigenvalues and a Frangi accumulator, per block being computed). An order of
 * magnitude from the filters' arrays, checked against peak RSS in the README's measurement.
 */
export const BLOCK_SCRATCH_BYTES_PER_VOXEL = 64;
/** Bytes per voxel the caller already holds while features run: the int16 CT and the uint8 lung mask. */
export const HELD_BYTES_PER_VOXEL = 3;

export interface FeaturesMemoryInput {
  /** Voxels of the volume. */
  voxels: number;
  /** Voxels of one slice (ny·nx). */
  plane: number;
  /** Rows computed (candidate voxels, lung voxels or every voxel). */
  rows: number;
  channels: number;
  /** Slices of a block plus both halos. */
  slabSlices: number;
  /** Blocks computed at the same time (worker threads, or 1). */
  concurrentBlocks: number;
}

/** Bytes the feature stack needs at its peak: what is held + the rows (index + channels, float32) + the blocks' scratch. */
export function featuresMemoryBytes(m: FeaturesMemoryInput): number {
  return m.voxels * HELD_BYTES_PER_VOXEL + m.rows * 4 * (1 + m.channels) + m.concurrentBlocks * m.slabSlices * m.plane * BLOCK_SCRATCH_BYTES_PER_VOXEL;
}

/** The budget in bytes: features.memoryBudgetMb, or the machine's physical memory when 0. */
export const memoryBudgetBytes = (budgetMb: number) => (budgetMb > 0 ? budgetMb * 2 ** 20 : totalmem());

/** Refuses up front, with the number it needs, a feature stack that would not fit the memory budget. */
export function checkFeaturesMemory(m: FeaturesMemoryInput, budgetMb: number, shape: readonly number[]): void {
  const need = featuresMemoryBytes(m), budget = memoryBudgetBytes(budgetMb);
  if (need <= budget) return;
  const mb = (b: number) => Math.ceil(b / 2 ** 20);
  throw new InputError(
    `features of this ${shape.join('×')} volume need about ${mb(need)} MB (${m.rows} voxels × ${m.channels} channels + z-blocks of ${m.slabSlices} slices), ` +
      `over the memory budget of ${mb(budget)} MB (features.memoryBudgetMb${budgetMb > 0 ? '' : ' = 0: the machine\'s memory'}): raise it, lower features.blockSlices / features.workers, or compute fewer voxels (--region candidates)`,
  );
}
