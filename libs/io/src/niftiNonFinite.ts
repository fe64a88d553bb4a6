import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { constants, gunzipSync, type ZlibOptions } from 'node:zlib';
import { InputError } from './errors.js';

/**
 * Counts NaN/Inf voxels of a float NIfTI-1/-2 file by reading its raw data, because itk-wasm's reader
 * silently turns them into 0 (which would pass for soft tissue). Returns {count: 0} for integer types.
 */
export function niftiNonFiniteVoxels(path: string): { count: number; first: number } {
  const raw = readFileSync(path);
  const gz = raw[0] === 0x1f && raw[1] === 0x8b;
  // the header alone says whether the data is float: inflate a small prefix first (integer CTs skip the full inflate)
  const head = gz ? inflate(raw.subarray(0, 4096), path, { finishFlush: constants.Z_SYNC_FLUSH }) : raw;
  if (head.length < 348) return { count: 0, first: -1 };
  const type = head.readInt32LE(0) === 348 ? head.readInt16LE(70) : head.readInt32LE(0) === 540 ? head.readInt16LE(12) : 0;
  if (type !== 16 && type !== 64) return { count: 0, first: -1 };
  const b = gz ? inflate(raw, path) : raw;
  const v1 = b.readInt32LE(0) === 348;
  const v2 = b.readInt32LE(0) === 540;
  if (!v1 && !v2) return { count: 0, first: -1 };
  const datatype = v1 ? b.readInt16LE(70) : b.readInt16LE(12);
  const offset = v1 ? Math.round(b.readFloatLE(108)) : Number(b.readBigInt64LE(168));
  const bytes = datatype === 16 ? 4 : datatype === 64 ? 8 : 0;
  if (!bytes) return { count: 0, first: -1 };
  const n = Math.floor((b.length - offset) / bytes);
  let count = 0, first = -1;
  for (let i = 0; i < n; i++) {
    const x = bytes === 4 ? b.readFloatLE(offset + 4 * i) : b.readDoubleLE(offset + 8 * i);
    if (!Number.isFinite(x)) {
      if (first < 0) first = i;
      count++;
    }
  }
  return { count, first };
}

/** gunzip, a damaged stream named as such (zlib's own message names no file). */
function inflate(raw: Buffer, path: string, opts?: ZlibOptions): Buffer {
  try {
    return gunzipSync(raw, opts);
  } catch (e) {
    throw new InputError(`unreadable volume: damaged gzip stream (${(e as Error).message})`, path);
  }
}

/**
 * For a NIfTI-1/-2 file: what is wrong when its data is shorter than the header's dimensions and datatype
 * need, else null. itk-wasm zero-fills a short file (and allocates what the header asks: a damaged dim of
 * 32767 kept the fuzz campaign's lung mask busy for minutes). A .nii.gz is measured by its gzip trailer.
 */
export function niftiShortfall(path: string): string | null {
  // the first 4 kB and the last 4 bytes: the header and the gzip trailer, not the whole file
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  const first = Buffer.alloc(Math.min(4096, size)), last = Buffer.alloc(4);
  try {
    readSync(fd, first, 0, first.length, 0);
    if (size >= 4) readSync(fd, last, 0, 4, size - 4);
  } finally {
    closeSync(fd);
  }
  const gz = first[0] === 0x1f && first[1] === 0x8b;
  const head = gz ? inflate(first, path, { finishFlush: constants.Z_SYNC_FLUSH }) : first;
  if (head.length < 348) return null; // too short to be a header: the reader says so
  const v1 = head.readInt32LE(0) === 348, v2 = head.readInt32LE(0) === 540;
  if (!v1 && !v2) return null; // byte-swapped or not NIfTI: left to the reader
  const dim = (i: number) => (v1 ? head.readInt16LE(40 + 2 * i) : Number(head.readBigInt64LE(16 + 8 * i)));
  const bitpix = v1 ? head.readInt16LE(72) : head.readInt16LE(14);
  const offset = v1 ? head.readFloatLE(108) : Number(head.readBigInt64LE(168));
  const ndim = dim(0);
  if (ndim < 1 || ndim > 7 || bitpix <= 0 || !Number.isFinite(offset) || offset < 0) return null; // the reader refuses these itself
  let voxels = 1;
  for (let i = 1; i <= ndim; i++) {
    if (dim(i) < 1) return `dimension ${i} of the header is ${dim(i)}: not a volume`;
    voxels *= dim(i);
  }
  const need = offset + (voxels * bitpix) / 8;
  // the gzip trailer holds the data length mod 2^32: exact below 4 GiB
  const have = gz ? last.readUInt32LE(0) : size;
  if (need > have && (!gz || need < 2 ** 32)) return `pixel data is shorter than the header says: ${voxels} voxels of ${bitpix / 8} byte(s) from byte ${offset} need ${need} bytes, the file holds ${have} (truncated file?)`;
  if (gz && need >= 2 ** 32 && need > size * 1032) return `pixel data is shorter than the header says: ${need} bytes cannot come out of a ${size}-byte gzip file (truncated file?)`;
  return null;
}
