import { InputError } from './errors.js';
import { decodeWithGdcm } from './gdcmPixels.js';
import { transferSyntaxOf } from './transferSyntax.js';
import { readDicomSlice, type DicomSlice } from './dicomSeries.js';

/** Decodes uncompressed 8/16-bit pixel data (already parsed by dcmjs, little or big endian) with the rescale into `out` (HU). */
export function decodePixels(s: DicomSlice, out: Float32Array): void {
  const ts = transferSyntaxOf(s.transferSyntax, s.file);
  if (ts.decoder !== 'native') throw new InputError(`${ts.name} pixel data is compressed: read it with decodeSlicesHu`, s.file);
  if (!s.pixelData) throw new InputError('no pixel data (truncated file?)', s.file);
  const n = out.length;
  const bytes = s.bitsAllocated / 8;
  if (s.pixelData.byteLength < n * bytes) {
    throw new InputError(`pixel data has ${s.pixelData.byteLength} bytes, expected ${n * bytes} (truncated file?)`, s.file);
  }
  if (s.bitsAllocated === 16) {
    // dcmjs hands over the words in file byte order; a DataView reads either order
    const view = new DataView(s.pixelData, 0, n * 2);
    const little = !ts.bigEndian;
    const signed = s.pixelRepresentation === 1;
    for (let i = 0; i < n; i++) out[i] = (signed ? view.getInt16(2 * i, little) : view.getUint16(2 * i, little)) * s.slope + s.intercept;
    return;
  }
  if (s.bitsAllocated !== 8) throw new InputError(`unsupported BitsAllocated ${s.bitsAllocated}`, s.file);
  const src = s.pixelRepresentation === 1 ? new Int8Array(s.pixelData, 0, n) : new Uint8Array(s.pixelData, 0, n);
  for (let i = 0; i < n; i++) out[i] = src[i] * s.slope + s.intercept;
}

/**
 * HU of the slices (headers from readDicomSlice, all rows × columns = `plane`) into `out`, slice i at plane i:
 * uncompressed ones decoded here, compressed ones (JPEG, JPEG-LS, JPEG 2000, RLE) by GDCM in one batch.
 * Throws a one-line InputError naming the file on any problem.
 */
export async function decodeSlicesHu(slices: readonly DicomSlice[], plane: number, out: Float32Array, where: string): Promise<void> {
  const compressed: number[] = [];
  slices.forEach((h, z) => {
    if (transferSyntaxOf(h.transferSyntax, h.file).decoder === 'gdcm') compressed.push(z);
    else decodePixels(readDicomSlice(h.file, true), out.subarray(z * plane, (z + 1) * plane));
  });
  if (compressed.length === slices.length) {
    await decodeWithGdcm(slices.map((s) => s.file), plane, out, where);
  } else if (compressed.length) {
    // a series mixing syntaxes (rare): decode the compressed slices together, then put each in its place
    const tmp = new Float32Array(compressed.length * plane);
    await decodeWithGdcm(compressed.map((z) => slices[z].file), plane, tmp, where);
    compressed.forEach((z, k) => out.set(tmp.subarray(k * plane, (k + 1) * plane), z * plane));
  }
}
