import { resolve } from 'node:path';
import { readImageDicomFileSeriesNode } from '@itk-wasm/dicom';
import { InputError } from './errors.js';
import { captureLibraryOutput, LibraryFailure, libraryReason } from './libraryOutput.js';

/**
 * Files decoded per itk-wasm call. Each call loads the GDCM wasm module (~0.2 s), and the module's heap
 * (capped at 4 GiB) holds the whole batch: 64 slices of 512² are 32 MB as int16, 128 MB as float64.
 */
const GDCM_BATCH_FILES = 64;

/** HU of `files` (same rows × columns each) decoded by GDCM with each file's rescale, in the given order: one plane per file. */
async function gdcmBatch(files: readonly string[], plane: number): Promise<ArrayLike<number>> {
  // absolute paths: itk-wasm mounts the files into the module's file system and fails on bare relative ones
  const { value: { outputImage: img } } = await captureLibraryOutput(() => readImageDicomFileSeriesNode({ inputImages: files.map((f) => resolve(f)), singleSortedSeries: true }));
  const [nx, ny, nz = 1] = img.size;
  if (nx * ny !== plane || nz !== files.length || img.imageType.components !== 1) throw new Error(`GDCM returned ${img.size.join('×')}×${img.imageType.components}`);
  return img.data as unknown as ArrayLike<number>;
}

/** The reason of an itk-wasm failure as ': reason', or '' when the library printed none (it throws a bare pointer number). */
const reasonOf = (e: unknown) => {
  if (e instanceof LibraryFailure) {
    const reason = libraryReason(e.printed);
    return reason ? `: ${reason}` : '';
  }
  return `: ${String((e as Error)?.message ?? e).split('\n')[0]}`;
};

/** The first of `files` that GDCM cannot decode alone, with its reason (undefined when each decodes). */
async function firstUndecodable(files: readonly string[], plane: number): Promise<{ file: string; reason: string } | undefined> {
  for (const file of files) {
    try {
      await gdcmBatch([file], plane);
    } catch (e) {
      return { file, reason: reasonOf(e) };
    }
  }
  return undefined;
}

/**
 * Decodes the pixel data of DICOM `files` (compressed or not: whatever GDCM reads, through itk-wasm) to HU
 * (RescaleSlope/Intercept applied) into `out`, file i at plane i; every file must have `plane` = rows × columns
 * pixels. Throws a one-line InputError naming the first file that does not decode (corrupt or truncated data).
 */
export async function decodeWithGdcm(files: readonly string[], plane: number, out: Float32Array, where: string): Promise<void> {
  for (let start = 0; start < files.length; start += GDCM_BATCH_FILES) {
    const batch = files.slice(start, start + GDCM_BATCH_FILES);
    let hu: ArrayLike<number>;
    try {
      hu = await gdcmBatch(batch, plane);
    } catch (e) {
      const bad = await firstUndecodable(batch, plane);
      if (bad) throw new InputError(`compressed pixel data does not decode (corrupt or truncated)${bad.reason}`, bad.file);
      throw new InputError(`compressed pixel data of ${batch.length} files does not decode together${reasonOf(e)}`, where);
    }
    const o = start * plane;
    for (let i = 0; i < batch.length * plane; i++) out[o + i] = hu[i];
  }
}
