import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { writeImageNode } from '@itk-wasm/image-io';
import { writeAtomic } from './atomicWrite.js';
import { InputError } from './errors.js';
import { imageFromVoxels } from './itkImage.js';
import { captureLibraryOutput, LibraryFailure, libraryReason } from './libraryOutput.js';
import type { FloatVolume, LabelVolume, Volume, VoxelMap } from './volume.js';

/** NIfTI-1 single-file header + extension flag: the image data starts at this byte (vox_offset). */
const NIFTI1_VOX_OFFSET = 352;

/**
 * Runs an itk-wasm write with its console output captured, and turns the errors it only prints ("** ERROR: …
 * wrote only 0 of N bytes", e.g. on a full disk) into a thrown error, so a short file is never renamed into place.
 */
async function withItkErrors(path: string, write: () => Promise<unknown>): Promise<void> {
  let printed: string[];
  try {
    printed = (await captureLibraryOutput(write)).printed;
  } catch (e) {
    throw e instanceof LibraryFailure ? new InputError(`write failed: ${e.message}`, path) : e;
  }
  const why = libraryReason(printed);
  if (why) throw new InputError(`write failed (disk full or not writable?): ${why}`, path);
}

/** For .nii.gz: the gzip trailer's ISIZE must equal header + voxel bytes (mod 2³²), else the file is short. */
function checkGzipLength(file: string, shownAs: string, voxelBytes: number): void {
  if (!/\.nii\.gz$/i.test(file)) return;
  const size = statSync(file).size;
  const tail = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    if (size >= 4) readSync(fd, tail, 0, 4, size - 4);
  } finally {
    closeSync(fd);
  }
  const expected = (NIFTI1_VOX_OFFSET + voxelBytes) % 2 ** 32;
  if (size < 18 || tail.readUInt32LE(0) !== expected) throw new InputError(`write failed: the compressed file is incomplete (${size} bytes; disk full?)`, shownAs);
}

/** Writes any voxel map (int16 / uint8 / float32) to NIfTI/NRRD/MHA, compressed, atomically; a short write throws. */
export async function writeVoxelMap(path: string, map: VoxelMap<Int16Array | Uint8Array | Float32Array>): Promise<void> {
  await writeAtomic(path, async (tmp) => {
    await withItkErrors(path, () => writeImageNode(imageFromVoxels(map, map.data), tmp, { useCompression: true }));
    checkGzipLength(tmp, path, map.data.byteLength);
  });
}

/** Writes a CT volume (int16 HU) with its geometry, atomically. */
export const writeVolume = (path: string, v: Volume) => writeVoxelMap(path, v);
/** Writes a label volume (uint8, label values 0–4) with its geometry, atomically. */
export const writeLabelVolume = (path: string, v: LabelVolume) => writeVoxelMap(path, v);
/** Writes a float32 volume (features, probabilities) with its geometry, atomically. */
export const writeFloatVolume = (path: string, v: FloatVolume) => writeVoxelMap(path, v);
