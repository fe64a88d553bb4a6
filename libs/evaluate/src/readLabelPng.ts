import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { InputError } from '@covseg/io';

const SIGNATURE = '89504e470d0a1a0a';

/** Paeth predictor (PNG spec). */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes the per-row filters of 1-byte-per-pixel scanlines. */
function unfilter(raw: Uint8Array, width: number, height: number, file: string): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (width + 1)];
    const src = y * (width + 1) + 1;
    for (let x = 0; x < width; x++) {
      const a = x > 0 ? out[y * width + x - 1] : 0;
      const b = y > 0 ? out[(y - 1) * width + x] : 0;
      const c = x > 0 && y > 0 ? out[(y - 1) * width + x - 1] : 0;
      const v = raw[src + x];
      out[y * width + x] = f === 0 ? v : f === 1 ? v + a : f === 2 ? v + b : f === 3 ? v + ((a + b) >> 1) : f === 4 ? v + paeth(a, b, c) : (() => { throw new InputError(`bad PNG row filter ${f}`, file); })();
    }
  }
  return out;
}

/**
 * Reads a 2D PNG mask as label values: 8-bit grayscale → the gray value, 8-bit palette → the palette
 * index (not its colour), RGB(A) whose channels agree → that value. Returns [height, width] and values.
 */
export function readLabelPng(file: string): { height: number; width: number; data: Uint8Array } {
  const buf = readFileSync(file);
  if (buf.subarray(0, 8).toString('hex') !== SIGNATURE) throw new InputError('not a PNG file', file);
  let off = 8;
  let width = 0, height = 0, depth = 0, colour = 0, interlace = 0;
  const idat: Buffer[] = [];
  while (off + 8 <= buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const body = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') [width, height, depth, colour, interlace] = [body.readUInt32BE(0), body.readUInt32BE(4), body[8], body[9], body[12]];
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  if (depth === 8 && (colour === 0 || colour === 3) && interlace === 0) {
    try {
      return { height, width, data: unfilter(inflateSync(Buffer.concat(idat)), width, height, file) };
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`corrupt PNG data: ${(e as Error).message}`, file);
    }
  }
  if (colour === 3) throw new InputError(`palette PNG with bit depth ${depth} or interlacing is not supported`, file);
  let png: PNG;
  try {
    png = PNG.sync.read(buf);
  } catch (e) {
    throw new InputError(`unreadable PNG: ${(e as Error).message}`, file);
  }
  const data = new Uint8Array(png.width * png.height);
  for (let i = 0; i < data.length; i++) {
    const [r, g, b] = [png.data[4 * i], png.data[4 * i + 1], png.data[4 * i + 2]];
    if (r !== g || g !== b) throw new InputError(`colour PNG pixel ${i} (${r},${g},${b}): masks must be value maps (gray or palette)`, file);
    data[i] = r;
  }
  return { height: png.height, width: png.width, data };
}
