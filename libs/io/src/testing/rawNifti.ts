import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/**
 * Writes a minimal NIfTI-1 float32 file byte by byte (identity affine scaled by spacing), bypassing
 * itk-wasm — whose writer turns NaN/Inf into 0 — so tests can feed readers files with NaN/Inf (or 4D: `frames` > 1).
 */
export function writeRawNiftiFloat32(path: string, data: Float32Array, shape: [number, number, number], spacing: [number, number, number] = [1, 1, 1], frames = 1): void {
  const h = Buffer.alloc(352);
  h.writeInt32LE(348, 0);
  const dims = [frames > 1 ? 4 : 3, shape[2], shape[1], shape[0], frames, 1, 1, 1];
  dims.forEach((d, i) => h.writeInt16LE(d, 40 + 2 * i));
  h.writeInt16LE(16, 70); // datatype FLOAT32
  h.writeInt16LE(32, 72); // bitpix
  const pix = [1, spacing[2], spacing[1], spacing[0], 1, 1, 1, 1];
  pix.forEach((p, i) => h.writeFloatLE(p, 76 + 4 * i));
  h.writeFloatLE(352, 108); // vox_offset
  h.writeFloatLE(1, 112); // scl_slope
  h.writeInt16LE(1, 254); // sform_code
  [[spacing[2], 0, 0, 0], [0, spacing[1], 0, 0], [0, 0, spacing[0], 0]].forEach((row, r) => row.forEach((v, c) => h.writeFloatLE(v, 280 + 16 * r + 4 * c)));
  h.write('n+1\0', 344, 'latin1');
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const file = Buffer.concat([h, body]);
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(file) : file);
}
