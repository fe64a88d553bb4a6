import { existsSync, statSync } from 'node:fs';
import { readImageNode } from '@itk-wasm/image-io';
import { InputError } from './errors.js';
import { geometryFromImage } from './itkImage.js';
import { checkSpacing, huInt16From } from './huValues.js';
import { niftiNonFiniteVoxels, niftiShortfall } from './niftiNonFinite.js';
import { captureLibraryOutput, LibraryFailure, libraryReason } from './libraryOutput.js';
import { readDicomSeries, looksLikeDicom, type DicomReadOptions } from './dicomSeries.js';
import { dirname } from 'node:path';
import type { LabelVolume, Volume, FloatVolume } from './volume.js';

/** File name endings covseg reads as volumes (through itk-wasm). */
export const VOLUME_EXTENSIONS = ['.nii', '.nii.gz', '.nrrd', '.nhdr', '.mha', '.mhd'] as const;

/** True when `path` names a volume file covseg can read by its extension. */
export function isVolumeFile(path: string): boolean {
  const p = path.toLowerCase();
  return VOLUME_EXTENSIONS.some((e) => p.endsWith(e));
}

export interface ReadVolumeOptions extends DicomReadOptions {}

/**
 * Reads a CT volume in HU from a DICOM series folder (or one of its files), `.nii`/`.nii.gz`,
 * `.nrrd`, `.mha`/`.mhd`. Throws a one-line InputError naming the file on any problem.
 */
export async function readVolume(path: string, opts: ReadVolumeOptions = {}): Promise<Volume> {
  if (!existsSync(path)) throw new InputError('no such file or folder', path);
  if (statSync(path).isDirectory()) {
    const { seriesUid: _s, files: _f, ...vol } = await readDicomSeries(path, opts);
    return vol;
  }
  if (looksLikeDicom(path) || /\.dcm$/i.test(path)) {
    const { seriesUid: _s, files: _f, ...vol } = await readDicomSeries(dirname(path), opts);
    return vol;
  }
  const { geometry, values } = await readScalarImage(path, opts.allow2D ?? false);
  checkSpacing(geometry.spacing, path);
  return { ...geometry, data: huInt16From(values, path) };
}

/** Reads a label/mask volume (any integer type, values 0–255) as Uint8. */
export async function readLabelVolume(path: string): Promise<LabelVolume> {
  const { geometry, values } = await readScalarImage(path, true);
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new InputError(`label value ${v} at voxel index ${i} is not an integer in 0–255`, path);
    data[i] = v;
  }
  return { ...geometry, data };
}

/** Reads a float volume (features, probabilities) as Float32. */
export async function readFloatVolume(path: string): Promise<FloatVolume> {
  const { geometry, values } = await readScalarImage(path, true);
  return { ...geometry, data: values instanceof Float32Array ? values : Float32Array.from(values) };
}

async function readScalarImage(path: string, allow2D: boolean) {
  if (!isVolumeFile(path)) throw new InputError(`unknown volume format (expected one of ${VOLUME_EXTENSIONS.join(', ')} or a DICOM folder)`, path);
  if (statSync(path).size === 0) throw new InputError('empty file', path);
  if (/\.nii(\.gz)?$/i.test(path)) {
    const short = niftiShortfall(path);
    if (short) throw new InputError(short, path);
    const bad = niftiNonFiniteVoxels(path);
    if (bad.count) throw new InputError(`${bad.count} voxel(s) are NaN or Inf (first at voxel index ${bad.first})`, path);
  }
  let img;
  try {
    img = (await captureLibraryOutput(() => readImageNode(path))).value;
  } catch (e) {
    // itk-wasm throws a bare pointer number and prints its reason; only the printed reason is worth showing
    const why = e instanceof LibraryFailure && libraryReason(e.printed) ? e.message : 'truncated or corrupt';
    throw new InputError(`unreadable volume: ${why}`, path);
  }
  if (img.imageType.pixelType !== 'Scalar' || img.imageType.components !== 1) {
    throw new InputError(`expected a scalar image, got ${img.imageType.pixelType} with ${img.imageType.components} components`, path);
  }
  const dim = img.imageType.dimension;
  if (dim === 2 || (dim === 3 && img.size[2] === 1)) {
    if (!allow2D) throw new InputError(`a single 2D image (${img.size[0]}×${img.size[1]}); a volume needs at least 2 slices (single slices: 2D mode, --2d or ingest.dimensions = '2d')`, path);
  } else if (dim !== 3) {
    throw new InputError(`expected a 3D volume, got ${dim} dimensions`, path);
  }
  if (dim === 2) {
    img.size = [img.size[0], img.size[1], 1];
    img.spacing = [img.spacing[0], img.spacing[1], 1];
    img.origin = [img.origin[0], img.origin[1], 0];
    const d = img.direction as ArrayLike<number>;
    img.direction = Float64Array.from([d[0], d[1], 0, d[2], d[3], 0, 0, 0, 1]) as any;
  }
  const values = img.data as unknown as ArrayLike<number>;
  if (!values || values.length !== img.size[0] * img.size[1] * img.size[2]) {
    throw new InputError('pixel data is shorter than the header says (truncated file?)', path);
  }
  return { geometry: geometryFromImage(img), values };
}
