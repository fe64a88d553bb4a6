import { crc32 } from 'node:zlib';
import type { Rng } from '@covseg/io';

/** Values at the edges of integer and float ranges: where parsers' arithmetic breaks. */
export const EDGE_INTS = [0, 1, -1, 2, 3, 7, 8, 255, 256, 4095, 32767, -32768, 65535, 65536, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1, 1e6, 1e9] as const;
export const EDGE_FLOATS = [0, -0, 1, -1, 1e-30, 1e30, 3.4e38, -3.4e38, NaN, Infinity, -Infinity, 0.5, 1e-6, 500, 1e6] as const;

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)];

/** Flips 1–8 random bits within [from, to) of a copy of `b`. */
export function flipBits(rng: Rng, b: Buffer, from = 0, to = b.length): Buffer {
  const out = Buffer.from(b);
  if (to <= from) return out;
  for (let n = rng.int(1, 8); n > 0; n--) {
    const i = rng.int(from, to - 1);
    out[i] ^= 1 << rng.int(0, 7);
  }
  return out;
}

/** Overwrites 1–4 random bytes within [from, to) with boundary values (0x00, 0xff, 0x7f, 0x80). */
export function boundaryBytes(rng: Rng, b: Buffer, from = 0, to = b.length): Buffer {
  const out = Buffer.from(b);
  if (to <= from) return out;
  for (let n = rng.int(1, 4); n > 0; n--) out[rng.int(from, to - 1)] = pick(rng, [0x00, 0xff, 0x7f, 0x80]);
  return out;
}

/** Cuts `b` at a random length in [from, to). */
export const truncate = (rng: Rng, b: Buffer, from = 0, to = b.length) => b.subarray(0, rng.int(from, Math.max(from, to - 1)));

/** Inserts, deletes or duplicates a random chunk (shifts everything after it). */
export function spliceChunk(rng: Rng, b: Buffer): Buffer {
  const at = rng.int(0, b.length);
  const len = rng.int(1, Math.min(64, Math.max(1, b.length - at)));
  switch (rng.int(0, 2)) {
    case 0:
      return Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: len }, () => rng.int(0, 255))), b.subarray(at)]);
    case 1:
      return Buffer.concat([b.subarray(0, at), b.subarray(at + len)]);
    default:
      return Buffer.concat([b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)]);
  }
}

/** One of the generic byte mutations, anywhere in `b` or within [from, to). */
export function anyByteMutation(rng: Rng, b: Buffer, from = 0, to = b.length): { bytes: Buffer; what: string } {
  switch (rng.int(0, 3)) {
    case 0:
      return { bytes: flipBits(rng, b, from, to), what: `bit flips in bytes ${from}–${to}` };
    case 1:
      return { bytes: boundaryBytes(rng, b, from, to), what: `boundary bytes in ${from}–${to}` };
    case 2:
      return { bytes: truncate(rng, b, from, to), what: 'truncated' };
    default:
      return { bytes: spliceChunk(rng, b), what: 'chunk inserted/deleted/duplicated' };
  }
}

/** A DICOM data element as found by walking an explicit-VR little-endian file. */
export interface DicomElement {
  group: number;
  element: number;
  vr: string;
  /** Offset of the element's first byte (tag). */
  offset: number;
  /** Offset and size (2 or 4) of its length field. */
  lengthOffset: number;
  lengthSize: 2 | 4;
  valueOffset: number;
  length: number;
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OW', 'SQ', 'UC', 'UR', 'UT', 'UN', 'OV']);

/** The top-level elements of an explicit-VR little-endian Part-10 file (stops at the first it cannot follow). */
export function dicomElements(b: Buffer): DicomElement[] {
  const out: DicomElement[] = [];
  let p = 132;
  while (p + 8 <= b.length) {
    const group = b.readUInt16LE(p), element = b.readUInt16LE(p + 2);
    const vr = b.toString('latin1', p + 4, p + 6);
    if (!/^[A-Z]{2}$/.test(vr)) break;
    const long = LONG_VRS.has(vr);
    const lengthOffset = long ? p + 8 : p + 6;
    if (lengthOffset + (long ? 4 : 2) > b.length) break;
    const length = long ? b.readUInt32LE(lengthOffset) : b.readUInt16LE(lengthOffset);
    const valueOffset = lengthOffset + (long ? 4 : 2);
    out.push({ group, element, vr, offset: p, lengthOffset, lengthSize: long ? 4 : 2, valueOffset, length });
    if (length === 0xffffffff) break;
    p = valueOffset + length;
  }
  return out;
}

/** Replaces an element's value (any length: the length field follows; padded to even length). */
export function setDicomValue(b: Buffer, e: DicomElement, value: Buffer): Buffer {
  const v = value.length % 2 ? Buffer.concat([value, Buffer.from(e.vr === 'UI' ? [0] : [0x20])]) : value;
  const head = Buffer.from(b.subarray(0, e.valueOffset));
  if (e.lengthSize === 2 && v.length > 0xffff) return b;
  if (e.lengthSize === 2) head.writeUInt16LE(v.length, e.lengthOffset);
  else head.writeUInt32LE(v.length, e.lengthOffset);
  return Buffer.concat([head, v, b.subarray(e.valueOffset + e.length)]);
}

/** Recomputes the CRC of every PNG chunk, so a mutated chunk reaches the decoder instead of failing its checksum. */
export function fixPngCrcs(b: Buffer): Buffer {
  const out = Buffer.from(b);
  let p = 8;
  while (p + 12 <= out.length) {
    const len = out.readUInt32BE(p);
    if (p + 12 + len > out.length) break;
    out.writeUInt32BE(crc32(out.subarray(p + 4, p + 8 + len)), p + 8 + len);
    p += 12 + len;
  }
  return out;
}

/** A JSON value with one structural mutation: a number made extreme, a type swapped, a key dropped or invented, an array emptied or grown. */
export function mutateJson(rng: Rng, value: unknown): { value: unknown; what: string } {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(v)) v.slice(0, 50).forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(value, []);
  const copy = structuredClone(value);
  const path = pick(rng, paths.length > 1 ? paths.slice(1) : paths);
  const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], copy);
  const key = path[path.length - 1];
  const where = path.join('.') || '(root)';
  const replacement = (): unknown =>
    pick(rng, [
      () => pick(rng, EDGE_INTS),
      () => pick(rng, [1e308, -1e308, 1.5, -0.5, 123456789012]),
      () => pick(rng, ['', 'NaN', '-1', 'x'.repeat(rng.int(1, 5000)), '../../../../etc/passwd', '\u0000']),
      () => null,
      () => true,
      () => [],
      () => ({}),
      () => Array.from({ length: rng.int(0, 10_000) }, () => rng.int(-5, 5)),
    ])();
  if (key === undefined) return { value: replacement(), what: 'root replaced' };
  switch (rng.int(0, 3)) {
    case 0:
    case 1: {
      const v = replacement();
      parent[key] = v;
      return { value: copy, what: `${where} = ${JSON.stringify(v)?.slice(0, 40)}` };
    }
    case 2:
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return { value: copy, what: `${where} removed` };
    default:
      if (Array.isArray(parent)) parent.push(structuredClone(parent[Number(key)]));
      else parent[`${String(key)}_${rng.int(0, 9)}`] = parent[key];
      return { value: copy, what: `${where} duplicated` };
  }
}
