import { writeImageNode } from '@itk-wasm/image-io';
import { writeAtomic } from './atomicWrite.js';
import { imageFromVoxels } from './itkImage.js';
import type { FloatVolume, LabelVolume, Volume, VoxelMap } from './volume.js';

/** Writes any voxel map (int16 / uint8 / float32) to NIfTI/NRRD/MHA, compressed, atomically. */
export async function writeVoxelMap(path: string, map: VoxelMap<Int16Array | Uint8Array | Float32Array>): Promise<void> {
  await writeAtomic(path, async (tmp) => {
    await writeImageNode(imageFromVoxels(map, map.data), tmp, { useCompression: true });
  });
}

/** Writes a CT volume (int16 HU) with its geometry, atomically. */
export const writeVolume = (path: string, v: Volume) => writeVoxelMap(path, v);
/** Writes a label volume (uint8, label values 0–4) with its geometry, atomically. */
export const writeLabelVolume = (path: string, v: LabelVolume) => writeVoxelMap(path, v);
/** Writes a float32 volume (features, probabilities) with its geometry, atomically. */
export const writeFloatVolume = (path: string, v: FloatVolume) => writeVoxelMap(path, v);
