import { readFileSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';

/**
 * Counts NaN/Inf voxels of a float NIfTI-1/-2 file by reading its raw data, because itk-wasm's reader
 * silently turns them into 0 (which would pass for soft tissue). Returns {count: 0} for integer types.
 */
export function niftiNonFiniteVoxels(path: string): { count: number; first: number } {
  const raw = readFileSync(path);
  const gz = raw[0] === 0x1f && raw[1] === 0x8b;
  // the header alone says whether the data is float: inflate a small prefix first (integer CTs skip the full inflate)
  const head = gz ? gunzipSync(raw.subarray(0, 4096), { finishFlush: constants.Z_SYNC_FLUSH }) : raw;
  if (head.length < 348) return { count: 0, first: -1 };
  const type = head.readInt32LE(0) === 348 ? head.readInt16LE(70) : head.readInt32LE(0) === 540 ? head.readInt16LE(12) : 0;
  if (type !== 16 && type !== 64) return { count: 0, first: -1 };
  const b = gz ? gunzipSync(raw) : raw;
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
