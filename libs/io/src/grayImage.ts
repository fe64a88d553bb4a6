import { readFileSync, statSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { InputError } from './errors.js';
import { decoderReason } from './libraryOutput.js';

/** An 8-bit grayscale picture, row-major (x fastest). */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** File endings read as 8-bit pictures (pre-windowed CT slices). */
export const GRAY_IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

/** True when `path` names a PNG/JPG picture by its extension. */
export function isGrayImageFile(path: string): boolean {
  const p = path.toLowerCase();
  return GRAY_IMAGE_EXTENSIONS.some((e) => p.endsWith(e));
}

/** Gray values of interleaved RGBA pixels; colour pictures are refused (a CT slice has no colour). */
function grayOfRgba(rgba: Uint8Array | Buffer, width: number, height: number, file: string): Uint8Array {
  const n = width * height;
  const out = new Uint8Array(n);
  let coloured = 0;
  for (let i = 0; i < n; i++) {
    const r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2];
    // JPEG chroma noise: channels within a few levels still count as gray
    if (Math.max(r, g, b) - Math.min(r, g, b) > 8) coloured++;
    out[i] = Math.round((r + g + b) / 3);
  }
  if (coloured > n * 0.01) throw new InputError(`colour picture (${((100 * coloured) / n).toFixed(1)} % coloured pixels): expected a grayscale CT slice`, file);
  return out;
}

/** Largest picture side accepted, pixels: a CT slice export is at most a few thousand; more is a damaged header. */
export const MAX_PICTURE_SIDE = 8192;

function checkPictureSize(width: number, height: number, file: string): void {
  if (width > MAX_PICTURE_SIDE || height > MAX_PICTURE_SIDE) throw new InputError(`a ${width}×${height} picture: larger than ${MAX_PICTURE_SIDE} pixels a side (damaged header?)`, file);
}

/** Reads a PNG (8-bit gray, palette-free or RGB(A) gray) or baseline JPG as 8-bit gray values. */
export function readGrayImage(file: string): GrayImage {
  if (statSync(file).size === 0) throw new InputError('empty file', file);
  const buf = readFileSync(file);
  if (/\.png$/i.test(file)) {
    let png: PNG;
    try {
      png = PNG.sync.read(buf);
    } catch (e) {
      throw new InputError(`unreadable PNG (truncated or corrupt)${decoderReason(e)}`, file);
    }
    if ((png as unknown as { depth?: number }).depth === 16) throw new InputError('16-bit PNG: expected an 8-bit windowed slice (convert 16-bit data to DICOM/NIfTI in HU)', file);
    checkPictureSize(png.width, png.height, file);
    return { width: png.width, height: png.height, data: grayOfRgba(png.data, png.width, png.height, file) };
  }
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  } catch (e) {
    throw new InputError(`unreadable JPG (truncated or corrupt)${decoderReason(e)}`, file);
  }
  if (!img.width || !img.height) throw new InputError('JPG has no pixels', file);
  checkPictureSize(img.width, img.height, file);
  return { width: img.width, height: img.height, data: grayOfRgba(img.data, img.width, img.height, file) };
}
