import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import {
  CONFIG_DIR, defaultConfigSection, readFloatVolume, readLabelVolume, readVolume, ShardWriter, sliceKey, verifyShards, writeDicomSeries, writeVolume,
  type Rng, type Volume,
} from '@covseg/io';
import { generatePhantomCase, phantomConfigSchema } from '@covseg/phantom';
import { chestSliceHu, windowToGray } from '../../../../libs/io/src/testing/chestSlice.js';
import { anyByteMutation, dicomElements, EDGE_FLOATS, EDGE_INTS, fixPngCrcs, mutateJson, pick, setDicomValue, type DicomElement } from './mutate.js';

/** One fuzz case: the command line to run and how to judge what it left. */
export interface FuzzCase {
  format: FormatName;
  /** The mutation, in words (for the report). */
  what: string;
  argv: string[];
  /** File or folder names a clean error line may name (the input, the mutated file, the output). */
  names: string[];
  /** Folder the command writes into. */
  outDir: string;
  /** After exit 0: null when the output is valid, else what is wrong with it. */
  validate(): Promise<string | null>;
  /** After a failure: null when no partial output was left, else what was left. */
  leftBehind(): string | null;
}

export const FORMATS = ['dicom', 'nifti', 'nrrd', 'mha', 'png', 'jpg', 'correction', 'shard-index', 'config'] as const;
export type FormatName = (typeof FORMATS)[number];

/** The valid inputs every mutation starts from (written once per campaign into `dir`). */
export interface Seeds {
  dir: string;
  dicom: string;
  nii: string;
  niiGz: string;
  nrrdRaw: Buffer;
  nrrdItk: string;
  mhaRaw: Buffer;
  mhaItk: string;
  png: Buffer;
  jpg: Buffer;
  store: string;
  correction: Buffer;
  config: Record<string, unknown>;
}

/** A small phantom chest CT (lungs, vessels, lesions) — cheap to segment, real enough for the lung mask. */
function seedVolume(): Volume {
  const cfg = phantomConfigSchema.parse(defaultConfigSection('phantom'));
  return generatePhantomCase({ ...cfg, shape: [5, 48, 48], spacing: [5, 3, 3] }, 'fuzz-seed').image;
}

const rawHeaderFile = (header: string, v: Volume) => Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength)]);

/** Writes the seed inputs; returns where they are. */
export async function writeSeeds(dir: string): Promise<Seeds> {
  mkdirSync(dir, { recursive: true });
  const v = seedVolume();
  const [nz, ny, nx] = v.shape;
  const [sz, sy, sx] = v.spacing;
  const dicom = join(dir, 'dicom');
  if (!existsSync(dicom)) writeDicomSeries(dicom, v, { uidSeed: 'fuzz' });
  const nii = join(dir, 'ct.nii'), niiGz = join(dir, 'ct.nii.gz'), nrrdItk = join(dir, 'ct.nrrd'), mhaItk = join(dir, 'ct.mha');
  for (const f of [nii, niiGz, nrrdItk, mhaItk]) if (!existsSync(f)) await writeVolume(f, v);
  const nrrdRaw = rawHeaderFile(
    `NRRD0004\ntype: short\ndimension: 3\nspace: left-posterior-superior\nsizes: ${nx} ${ny} ${nz}\nspace directions: (${sx},0,0) (0,${sy},0) (0,0,${sz})\nkinds: domain domain domain\nendian: little\nencoding: raw\nspace origin: (0,0,0)\n\n`,
    v,
  );
  const mhaRaw = rawHeaderFile(
    `ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\nCompressedData = False\nTransformMatrix = 1 0 0 0 1 0 0 0 1\nOffset = 0 0 0\nElementSpacing = ${sx} ${sy} ${sz}\nDimSize = ${nx} ${ny} ${nz}\nElementType = MET_SHORT\nElementDataFile = LOCAL\n`,
    v,
  );
  const hu = chestSliceHu(64, 64, { seed: 'fuzz' });
  const gray = windowToGray(hu, { low: -1350, high: 150 });
  const rgba = Buffer.alloc(64 * 64 * 4);
  for (let i = 0; i < gray.length; i++) rgba.set([gray[i], gray[i], gray[i], 255], 4 * i);
  const png = new PNG({ width: 64, height: 64 });
  rgba.copy(png.data);
  const jpg = Buffer.from(jpeg.encode({ data: rgba, width: 64, height: 64 }, 90).data);
  const store = join(dir, 'store');
  if (!existsSync(join(store, 'index.json'))) {
    const w = new ShardWriter(store, { maxShardBytes: 1200 });
    for (const z of [1, 3, 4]) {
      const image = new Int16Array(16 * 16).map((_, i) => ((i * 37 + z) % 1200) - 1000);
      const label = new Uint8Array(16 * 16).map((_, i) => (i % 5 === 0 ? 2 : 1));
      w.add({ key: sliceKey(z === 4 ? 'case-2' : 'case-1', z), caseId: z === 4 ? 'case-2' : 'case-1', sliceIndex: z, height: 16, width: 16, spacing: [1, 1], image, label });
    }
    w.close();
  }
  const corr = new PNG({ width: 16, height: 16 });
  for (let i = 0; i < 256; i++) corr.data.set([i % 7 === 0 ? 3 : 1, i % 7 === 0 ? 3 : 1, i % 7 === 0 ? 3 : 1, 255], 4 * i);
  const config = { lungmask: defaultConfigSection('lungmask'), features: defaultConfigSection('features'), ingest: defaultConfigSection('ingest') };
  return { dir, dicom, nii, niiGz, nrrdRaw, nrrdItk, mhaRaw, mhaItk, png: PNG.sync.write(png), jpg, store, correction: PNG.sync.write(corr), config };
}

// ——— outcomes of the commands ———

/** Every file under `dir` (recursive, relative), or [] when it does not exist. */
const filesUnder = (dir: string) => (existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]).sort() : []);
const tempsOrLocks = (dir: string) => filesUnder(dir).filter((f) => /(^|\/)(\.tmp-|\.covseg-lock)/.test(f));
/** Every file under `dir` with its bytes' SHA-256: equal snapshots, untouched folder. */
const snapshot = (dir: string) =>
  filesUnder(dir).map((f) => `${f}:${statSync(join(dir, f)).isDirectory() ? '<dir>' : createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')}`).join('\n');

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** `lungmask INPUT --out OUT/mask.nii.gz`: the mask must read back as 0/1 labels. */
function lungmaskCase(format: FormatName, what: string, input: string, caseDir: string, extra: string[] = []): FuzzCase {
  const outDir = join(caseDir, 'out');
  const mask = join(outDir, 'mask.nii.gz');
  return {
    format, what, outDir, argv: ['lungmask', input, '--out', mask, ...extra], names: [basename(input), ...extra.filter((x) => x.endsWith('.json')).map((x) => basename(x)), 'mask.nii.gz'],
    validate: async () => {
      try {
        const m = await readLabelVolume(mask);
        return m.data.every((x) => x <= 1) ? null : 'mask holds values other than 0/1';
      } catch (e) {
        return `mask unreadable: ${errorText(e)}`;
      }
    },
    leftBehind: () => (filesUnder(outDir).length ? `left ${filesUnder(outDir).join(', ')}` : null),
  };
}

/** `ingest INPUT --out OUT`: cohort.jsonl lists the case; an ok case's canonical volume reads back. */
function ingestCase(format: FormatName, what: string, input: string, caseDir: string, extra: string[] = []): FuzzCase {
  const outDir = join(caseDir, 'out');
  const cohortOk = async (): Promise<string | null> => {
    const f = join(outDir, 'cohort.jsonl');
    if (!existsSync(f)) return 'no cohort.jsonl';
    try {
      for (const line of readFileSync(f, 'utf8').trim().split('\n')) {
        const c = JSON.parse(line);
        if (c.status === 'ok') await readVolume(c.image, { allow2D: true });
      }
      return null;
    } catch (e) {
      return `cohort unreadable: ${errorText(e)}`;
    }
  };
  return {
    format, what, outDir, argv: ['ingest', input, '--out', outDir, ...extra], names: [basename(input)],
    validate: cohortOk,
    // a failed ingest keeps a complete cohort.jsonl that records the error (and nothing else)
    leftBehind: () => {
      const left = filesUnder(outDir).filter((f) => f !== 'cohort.jsonl');
      if (tempsOrLocks(outDir).length) return `left ${tempsOrLocks(outDir).join(', ')}`;
      return left.some((f) => !f.startsWith('volumes')) || filesUnder(join(outDir, 'volumes')).length ? `left ${left.join(', ')}` : null;
    },
  };
}

/** A command on a copy of the shard store: on failure the copy must be byte-identical to before. */
function storeCase(format: FormatName, what: string, store: string, argv: string[], outDir: string, names: string[], validate: () => Promise<string | null>): FuzzCase {
  const before = snapshot(store);
  return {
    format, what, outDir, argv, names: [...names, basename(store)],
    validate,
    leftBehind: () => {
      if (snapshot(store) !== before) return 'shard store changed';
      if (tempsOrLocks(store).length) return `left ${tempsOrLocks(store).join(', ')}`;
      return outDir !== store && filesUnder(outDir).length ? `left ${filesUnder(outDir).join(', ')}` : null;
    },
  };
}

// ——— mutators per format ———

/** DICOM tags worth breaking, with the values that break them. */
const DICOM_TARGETS: { tag: [number, number]; name: string; values: () => (string | Buffer)[] }[] = [
  { tag: [0x0028, 0x0010], name: 'Rows', values: () => [0, 1, 65535, 4096, 47].map(u16) },
  { tag: [0x0028, 0x0011], name: 'Columns', values: () => [0, 1, 65535, 4096, 49].map(u16) },
  { tag: [0x0028, 0x0100], name: 'BitsAllocated', values: () => [0, 1, 7, 8, 12, 32, 64, 65535].map(u16) },
  { tag: [0x0028, 0x0101], name: 'BitsStored', values: () => [0, 1, 17, 33, 65535].map(u16) },
  { tag: [0x0028, 0x0102], name: 'HighBit', values: () => [0, 16, 31, 65535].map(u16) },
  { tag: [0x0028, 0x0103], name: 'PixelRepresentation', values: () => [1, 2, 65535].map(u16) },
  { tag: [0x0028, 0x0002], name: 'SamplesPerPixel', values: () => [0, 3, 4, 65535].map(u16) },
  { tag: [0x0028, 0x0004], name: 'PhotometricInterpretation', values: () => ['RGB', 'PALETTE COLOR', 'YBR_FULL', 'MONOCHROME1', '', 'X'] },
  { tag: [0x0028, 0x0008], name: 'NumberOfFrames', values: () => ['0', '2', '-1', '99999999', 'abc'] },
  { tag: [0x0028, 0x1052], name: 'RescaleIntercept', values: () => ['NaN', '1e308', '-1e308', '', 'abc', '-1024\\5'] },
  { tag: [0x0028, 0x1053], name: 'RescaleSlope', values: () => ['0', 'NaN', '-1', '1e308', '', 'inf'] },
  { tag: [0x0028, 0x0030], name: 'PixelSpacing', values: () => ['0\\0', '-1\\-1', 'NaN\\1', '1e9\\1e9', '1', '', 'a\\b'] },
  { tag: [0x0018, 0x0050], name: 'SliceThickness', values: () => ['0', '-5', 'NaN', ''] },
  { tag: [0x0020, 0x0032], name: 'ImagePositionPatient', values: () => ['0\\0', 'NaN\\NaN\\NaN', '1e308\\0\\0', '', '0\\0\\0\\0'] },
  { tag: [0x0020, 0x0037], name: 'ImageOrientationPatient', values: () => ['0\\0\\0\\0\\0\\0', '1\\0\\0\\1\\0\\0', 'NaN\\0\\0\\0\\1\\0', '1\\0\\0', ''] },
  { tag: [0x0008, 0x0060], name: 'Modality', values: () => ['', 'MR', 'C', 'CT\\MR'] },
  { tag: [0x0002, 0x0010], name: 'TransferSyntaxUID', values: () => ['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.5', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2', '1.2.3.4', ''] },
  { tag: [0x0020, 0x000e], name: 'SeriesInstanceUID', values: () => ['', '1.2.3', 'x'.repeat(64)] },
];
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};

function mutateDicomFile(rng: Rng, b: Buffer): { bytes: Buffer; what: string } {
  const els = dicomElements(b);
  // a file an earlier mutation cut before its first element has nothing left to target
  if (!els.length) return anyByteMutation(rng, b);
  const pixel = els.find((e) => e.group === 0x7fe0 && e.element === 0x0010);
  const findTag = ([g, e]: [number, number]) => els.find((x) => x.group === g && x.element === e);
  switch (rng.int(0, 7)) {
    case 0:
    case 1: {
      const t = pick(rng, DICOM_TARGETS);
      const e = findTag(t.tag);
      if (!e) return { bytes: b, what: `${t.name} absent` };
      const v = pick(rng, t.values());
      return { bytes: setDicomValue(b, e, typeof v === 'string' ? Buffer.from(v, 'latin1') : v), what: `${t.name} = ${typeof v === 'string' ? JSON.stringify(v) : v.readUInt16LE(0)}` };
    }
    case 2: {
      // huge or undefined length of a random element (or the pixel data)
      const e: DicomElement = rng.next() < 0.5 && pixel ? pixel : pick(rng, els);
      const out = Buffer.from(b);
      const len = e.lengthSize === 4 ? pick(rng, [0xffffffff, 0xfffffff0, 0x7fffffff, e.length + 2, b.length]) : pick(rng, [0xffff, 0xfffe, e.length + 2, 0]);
      if (e.lengthSize === 4) out.writeUInt32LE(len, e.lengthOffset);
      else out.writeUInt16LE(len, e.lengthOffset);
      return { bytes: out, what: `length of (${hex(e.group)},${hex(e.element)}) ${e.vr} = ${len}` };
    }
    case 3: {
      // a wrong VR on a random element
      const e = pick(rng, els);
      const vr = pick(rng, ['SQ', 'UN', 'OB', 'US', 'FD', 'DS', 'XX', '\0\0', 'UT', 'AT']);
      const out = Buffer.from(b);
      out.write(vr, e.offset + 4, 'latin1');
      return { bytes: out, what: `VR of (${hex(e.group)},${hex(e.element)}) ${e.vr} → ${JSON.stringify(vr)}` };
    }
    case 4: {
      // a truncated tag: cut inside an element's header or value
      const e = pick(rng, els);
      const cut = rng.int(e.offset + 1, Math.min(b.length - 1, e.valueOffset + Math.max(1, Math.min(e.length, 64))));
      return { bytes: b.subarray(0, cut), what: `truncated inside (${hex(e.group)},${hex(e.element)})` };
    }
    case 5:
      if (pixel) {
        const m = anyByteMutation(rng, b, pixel.valueOffset, b.length);
        return { bytes: m.bytes, what: `pixel data: ${m.what}` };
      }
      return anyByteMutation(rng, b);
    case 6: {
      const end = pixel ? pixel.offset : b.length;
      const m = anyByteMutation(rng, b, 0, end);
      return { bytes: m.bytes, what: `header: ${m.what}` };
    }
    default: {
      // pixel data shorter or longer than rows × columns × bits
      if (!pixel) return anyByteMutation(rng, b);
      const v = b.subarray(pixel.valueOffset, pixel.valueOffset + pixel.length);
      const nv = rng.next() < 0.5 ? v.subarray(0, rng.int(0, v.length - 2) & ~1) : Buffer.concat([v, Buffer.alloc(rng.int(1, 64) * 2)]);
      return { bytes: setDicomValue(b, pixel, nv), what: `pixel data of ${nv.length} bytes (${v.length} expected)` };
    }
  }
}
const hex = (n: number) => n.toString(16).padStart(4, '0');

function dicomCase(rng: Rng, s: Seeds, caseDir: string): FuzzCase {
  const dir = join(caseDir, 'series');
  cpSync(s.dicom, dir, { recursive: true });
  const files = readdirSync(dir).sort();
  const whats: string[] = [];
  const r = rng.next();
  if (r < 0.08) {
    const f = pick(rng, files);
    writeFileSync(join(dir, f.replace(/\.dcm$/, '-copy.dcm')), readFileSync(join(dir, f)));
    whats.push(`${f} duplicated`);
  }
  // usually one file is broken, sometimes several
  for (let n = r < 0.8 ? 1 : rng.int(2, files.length); n > 0; n--) {
    const f = pick(rng, files);
    const m = mutateDicomFile(rng, readFileSync(join(dir, f)));
    writeFileSync(join(dir, f), m.bytes);
    whats.push(`${f}: ${m.what}`);
  }
  const what = whats.join('; ');
  const c = rng.next() < 0.7 ? lungmaskCase('dicom', what, dir, caseDir) : rng.next() < 0.5 ? ingestCase('dicom', what, dir, caseDir) : ingestCase('dicom', what, join(dir, pick(rng, files)), caseDir, ['--2d']);
  return { ...c, names: [...c.names, ...files] };
}

/** NIfTI-1 header fields: offset, type, values that break them. */
const NIFTI_FIELDS: { name: string; offset: number; type: 'i16' | 'i32' | 'f32'; values: readonly number[] }[] = [
  { name: 'sizeof_hdr', offset: 0, type: 'i32', values: [0, 540, 347, 1543569408, -1] },
  { name: 'dim[0]', offset: 40, type: 'i16', values: [0, 1, 2, 4, 5, 7, 8, -1, 32767] },
  { name: 'dim[1]', offset: 42, type: 'i16', values: [0, 1, -1, 32767, -32768, 49] },
  { name: 'dim[2]', offset: 44, type: 'i16', values: [0, 1, -1, 32767, 47] },
  { name: 'dim[3]', offset: 46, type: 'i16', values: [0, 1, -1, 32767, 7, 5] },
  { name: 'dim[4]', offset: 48, type: 'i16', values: [0, -1, 2, 32767] },
  { name: 'datatype', offset: 70, type: 'i16', values: [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2304, 999, -1] },
  { name: 'bitpix', offset: 72, type: 'i16', values: [0, 1, 8, 32, 64, -16, 999] },
  { name: 'pixdim[0] (qfac)', offset: 76, type: 'f32', values: EDGE_FLOATS },
  { name: 'pixdim[1]', offset: 80, type: 'f32', values: EDGE_FLOATS },
  { name: 'pixdim[2]', offset: 84, type: 'f32', values: EDGE_FLOATS },
  { name: 'pixdim[3]', offset: 88, type: 'f32', values: EDGE_FLOATS },
  { name: 'vox_offset', offset: 108, type: 'f32', values: [0, 348, 351, 353, 1e9, -1, NaN, Infinity, 3.5e38] },
  { name: 'scl_slope', offset: 112, type: 'f32', values: [0, NaN, Infinity, -1, 1e30, 1e-30] },
  { name: 'scl_inter', offset: 116, type: 'f32', values: [NaN, Infinity, 1e30, -1e30] },
  { name: 'qform_code', offset: 252, type: 'i16', values: [0, 1, 2, 5, -1, 32767] },
  { name: 'sform_code', offset: 254, type: 'i16', values: [0, 1, 3, -1, 32767] },
  { name: 'quatern_b', offset: 256, type: 'f32', values: [NaN, 2, -2, 1e30] },
  { name: 'srow_x[0]', offset: 280, type: 'f32', values: [0, NaN, Infinity, 1e30] },
  { name: 'srow_z[2]', offset: 320, type: 'f32', values: [0, NaN, -1e30] },
  { name: 'magic', offset: 344, type: 'i32', values: [0, 0x00312b6e, 0x0031696e, 0x00322b6e] },
];

function mutateNiftiBytes(rng: Rng, b: Buffer): { bytes: Buffer; what: string } {
  if (rng.next() < 0.7) {
    const out = Buffer.from(b);
    const whats: string[] = [];
    for (let n = rng.next() < 0.8 ? 1 : rng.int(2, 4); n > 0; n--) {
      const f = pick(rng, NIFTI_FIELDS);
      const v = pick(rng, f.values);
      if (f.type === 'i16') out.writeInt16LE(Math.max(-32768, Math.min(32767, v)), f.offset);
      else if (f.type === 'i32') out.writeInt32LE(v | 0, f.offset);
      else out.writeFloatLE(v, f.offset);
      whats.push(`${f.name} = ${v}`);
    }
    return { bytes: out, what: whats.join(', ') };
  }
  return rng.next() < 0.5 ? anyByteMutation(rng, b, 0, 352) : anyByteMutation(rng, b);
}

function niftiCase(rng: Rng, s: Seeds, caseDir: string): FuzzCase {
  const gz = rng.next() < 0.5;
  const src = readFileSync(gz ? s.niiGz : s.nii);
  const file = join(caseDir, gz ? 'ct.nii.gz' : 'ct.nii');
  let m: { bytes: Buffer; what: string };
  if (gz && rng.next() < 0.2) m = { ...anyByteMutation(rng, src), what: `compressed stream: ${anyByteMutation(rng, src).what}` };
  else {
    const inner = mutateNiftiBytes(rng, gz ? gunzipSync(src) : src);
    m = { bytes: gz ? gzipSync(inner.bytes) : inner.bytes, what: inner.what };
  }
  writeFileSync(file, m.bytes);
  return rng.next() < 0.75 ? lungmaskCase('nifti', m.what, file, caseDir) : ingestCase('nifti', m.what, file, caseDir);
}

/** Mutates one `key: value` / `Key = Value` line of a text header (NRRD, MetaImage); the data after it may be cut. */
function mutateTextHeader(rng: Rng, b: Buffer, headerEnd: number, sep: RegExp, choices: Record<string, readonly string[]>): { bytes: Buffer; what: string } {
  if (rng.next() < 0.15) return anyByteMutation(rng, b);
  const lines = b.toString('latin1', 0, headerEnd).split('\n');
  const body = b.subarray(headerEnd);
  const i = rng.int(0, lines.length - 2);
  const [key, value] = [lines[i].split(sep)[0], lines[i].split(sep).slice(1).join(sep.source.includes('=') ? ' = ' : ': ')];
  const sepText = sep.source.includes('=') ? ' = ' : ': ';
  let what: string;
  switch (rng.int(0, 4)) {
    case 0: {
      const opts = choices[key.trim()];
      const v = opts ? pick(rng, opts) : String(pick(rng, EDGE_INTS));
      lines[i] = `${key}${sepText}${v}`;
      what = `${key.trim()} = ${v}`;
      break;
    }
    case 1: {
      // one number of the value replaced by an edge value
      const nums = [...value.matchAll(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi)];
      if (!nums.length) return mutateTextHeader(rng, b, headerEnd, sep, choices);
      const n = pick(rng, nums);
      const v = String(pick(rng, [...EDGE_INTS, ...EDGE_FLOATS]));
      lines[i] = `${key}${sepText}${value.slice(0, n.index)}${v}${value.slice(n.index! + n[0].length)}`;
      what = `${key.trim()}: ${n[0]} → ${v}`;
      break;
    }
    case 2:
      lines.splice(i, 1);
      what = `${key.trim()} line removed`;
      break;
    case 3:
      lines.splice(i, 0, `${key}${sepText}${pick(rng, choices[key.trim()] ?? ['1'])}`);
      what = `${key.trim()} line duplicated`;
      break;
    default: {
      const cut = rng.int(0, body.length - 1);
      return { bytes: Buffer.concat([b.subarray(0, headerEnd), body.subarray(0, cut)]), what: `data cut to ${cut} of ${body.length} bytes` };
    }
  }
  return { bytes: Buffer.concat([Buffer.from(lines.join('\n'), 'latin1'), body]), what };
}

const NRRD_CHOICES = {
  type: ['short', 'float', 'double', 'uchar', 'int', 'long long', 'block', 'complex', 'xyz', ''],
  dimension: ['0', '1', '2', '4', '5', '16', '-1', 'three'],
  sizes: ['0 0 0', '48 48', '48 48 6 2', '65535 65535 65535', '-1 48 6', '48 48 6000000', '4294967296 1 1'],
  encoding: ['raw', 'gzip', 'bzip2', 'hex', 'ascii', 'text', 'zzz'],
  endian: ['big', 'middle', ''],
  'space directions': ['(0,0,0) (0,0,0) (0,0,0)', '(nan,0,0) (0,1,0) (0,0,1)', 'none none none', '(1,0,0) (0,1,0)', '(1e308,0,0) (0,1,0) (0,0,1)'],
  space: ['left-posterior-superior', 'scanner-xyz', '3D-right-handed-time', 'nowhere'],
  'data file': ['nonexistent.raw', '/dev/null', '..', 'LIST', '/dev/zero', 'ct.nrrd'],
  kinds: ['domain domain domain', 'RGB-color domain domain', 'list domain domain', 'x'],
  'space origin': ['(nan,nan,nan)', '(1e308,0,0)', '(0,0)', 'none'],
} as const;
const MHA_CHOICES = {
  ObjectType: ['Image', 'Mesh', 'Tube', ''],
  NDims: ['0', '1', '2', '4', '5', '100', '-1', 'x'],
  DimSize: ['0 0 0', '48 48', '48 48 6 2', '65535 65535 65535', '-1 48 6', '48 48 6000000', '4294967296 1 1'],
  ElementType: ['MET_UCHAR', 'MET_FLOAT', 'MET_DOUBLE', 'MET_LONG_LONG', 'MET_USHORT_ARRAY', 'MET_STRING', 'MET_FOO', ''],
  ElementSpacing: ['0 0 0', '-1 1 1', 'nan 1 1', '1e308 1 1', '1'],
  ElementDataFile: ['LOCAL', 'nonexistent.raw', '/dev/null', 'LIST', '/dev/zero', 'ct.mha', '%03d.raw 1 3 1'],
  CompressedData: ['True', 'False', 'maybe'],
  BinaryDataByteOrderMSB: ['True', 'x'],
  TransformMatrix: ['0 0 0 0 0 0 0 0 0', 'nan 0 0 0 1 0 0 0 1', '1 0 0'],
  HeaderSize: ['-1', '0', '100000', '1e9'],
} as const;

function textHeaderCase(format: 'nrrd' | 'mha', rng: Rng, s: Seeds, caseDir: string): FuzzCase {
  const fromItk = rng.next() < 0.25;
  const src = fromItk ? readFileSync(format === 'nrrd' ? s.nrrdItk : s.mhaItk) : format === 'nrrd' ? s.nrrdRaw : s.mhaRaw;
  const end = format === 'nrrd' ? src.indexOf('\n\n') + 2 : src.indexOf('ElementDataFile = LOCAL\n') + 'ElementDataFile = LOCAL\n'.length;
  const m = end > 1 ? mutateTextHeader(rng, src, end, format === 'nrrd' ? /: / : / = /, format === 'nrrd' ? NRRD_CHOICES : MHA_CHOICES) : anyByteMutation(rng, src);
  const file = join(caseDir, `ct.${format}`);
  writeFileSync(file, m.bytes);
  const what = `${fromItk ? 'itk-written (compressed)' : 'raw'}: ${m.what}`;
  return rng.next() < 0.75 ? lungmaskCase(format, what, file, caseDir) : ingestCase(format, what, file, caseDir);
}

function mutatePng(rng: Rng, b: Buffer): { bytes: Buffer; what: string } {
  const ihdr = 16; // IHDR data starts after signature (8) + length (4) + type (4)
  const out = Buffer.from(b);
  switch (rng.int(0, 5)) {
    case 0: {
      const which = rng.int(0, 1);
      const v = pick(rng, [0, 1, 63, 65, 65535, 100_000, 2 ** 31 - 1, 2 ** 32 - 1]);
      out.writeUInt32BE(v >>> 0, ihdr + 4 * which);
      return { bytes: fixPngCrcs(out), what: `IHDR ${which ? 'height' : 'width'} = ${v}` };
    }
    case 1: {
      const v = pick(rng, [0, 1, 2, 4, 16, 3, 255]);
      out[ihdr + 8] = v;
      return { bytes: fixPngCrcs(out), what: `IHDR bit depth = ${v}` };
    }
    case 2: {
      const v = pick(rng, [0, 1, 2, 3, 4, 5, 6, 7]);
      out[ihdr + 9] = v;
      return { bytes: fixPngCrcs(out), what: `IHDR colour type = ${v}` };
    }
    case 3: {
      out[ihdr + pick(rng, [10, 11, 12])] = pick(rng, [1, 2, 255]);
      return { bytes: fixPngCrcs(out), what: 'IHDR compression/filter/interlace method changed' };
    }
    case 4: {
      const m = anyByteMutation(rng, b, 33, b.length - 12);
      return { bytes: rng.next() < 0.7 ? fixPngCrcs(m.bytes) : m.bytes, what: `IDAT: ${m.what}` };
    }
    default:
      return anyByteMutation(rng, b);
  }
}

function mutateJpeg(rng: Rng, b: Buffer): { bytes: Buffer; what: string } {
  const sof = b.indexOf(Buffer.from([0xff, 0xc0]));
  const out = Buffer.from(b);
  switch (rng.int(0, 3)) {
    case 0: {
      if (sof < 0) return anyByteMutation(rng, b);
      const which = rng.int(0, 1);
      const v = pick(rng, [0, 1, 63, 65, 65535, 30000]);
      out.writeUInt16BE(v, sof + 5 + 2 * which);
      return { bytes: out, what: `SOF ${which ? 'width' : 'height'} = ${v}` };
    }
    case 1: {
      if (sof < 0) return anyByteMutation(rng, b);
      const v = pick(rng, [0, 2, 4, 255]);
      out[sof + 9] = v;
      return { bytes: out, what: `SOF components = ${v}` };
    }
    case 2: {
      const m = anyByteMutation(rng, b, 2, Math.max(3, sof));
      return { bytes: m.bytes, what: `tables: ${m.what}` };
    }
    default:
      return anyByteMutation(rng, b);
  }
}

function pictureCase(format: 'png' | 'jpg', rng: Rng, s: Seeds, caseDir: string): FuzzCase {
  const m = format === 'png' ? mutatePng(rng, s.png) : mutateJpeg(rng, s.jpg);
  const file = join(caseDir, `slice.${format}`);
  writeFileSync(file, m.bytes);
  return ingestCase(format, m.what, file, caseDir, ['--2d', rng.next() < 0.5 ? '--window=auto' : '--window=-1350,150']);
}

function correctionCase(rng: Rng, s: Seeds, caseDir: string): FuzzCase {
  const store = join(caseDir, 'store');
  cpSync(s.store, store, { recursive: true });
  let bytes = s.correction, what: string;
  const r = rng.next();
  if (r < 0.15) {
    const p = new PNG({ width: pick(rng, [15, 17, 1, 16]), height: pick(rng, [16, 17, 0 + 1]) });
    p.data.fill(1);
    bytes = PNG.sync.write(p);
    what = `a ${p.width}×${p.height} correction for a 16×16 slice`;
  } else if (r < 0.3) {
    const p = PNG.sync.read(s.correction);
    const i = rng.int(0, 255);
    const v = [pick(rng, [5, 7, 128, 255]), pick(rng, [0, 9, 255]), pick(rng, [4, 200])];
    p.data.set([...v, pick(rng, [255, 0, 128])], 4 * i);
    bytes = PNG.sync.write(p);
    what = `pixel ${i} = rgba(${v}) (not a label colour)`;
  } else ({ bytes, what } = mutatePng(rng, s.correction));
  const name = rng.next() < 0.9 ? `${sliceKey('case-1', 3)}.png` : pick(rng, [`${sliceKey('case-9', 3)}.png`, 'case-1_z0003.PNG', '.png', 'x.png']);
  const from = join(caseDir, 'from');
  mkdirSync(from, { recursive: true });
  writeFileSync(join(from, name), bytes);
  return storeCase('correction', what, store, ['import-corrections', '--shards', store, '--from', rng.next() < 0.5 ? from : join(from, name)], store, [name, 'from'], async () => {
    try {
      const problems = verifyShards(store);
      return problems.length ? `store inconsistent: ${problems[0]}` : null;
    } catch (e) {
      return `store unreadable: ${errorText(e)}`;
    }
  });
}

function shardIndexCase(rng: Rng, s: Seeds, caseDir: string): FuzzCase {
  const store = join(caseDir, 'store');
  cpSync(s.store, store, { recursive: true });
  const indexFile = join(store, 'index.json');
  let what: string;
  const r = rng.next();
  if (r < 0.7) {
    const m = mutateJson(rng, JSON.parse(readFileSync(indexFile, 'utf8')));
    writeFileSync(indexFile, JSON.stringify(m.value, null, 2));
    what = `index.json: ${m.what}`;
  } else if (r < 0.85) {
    const m = anyByteMutation(rng, readFileSync(indexFile));
    writeFileSync(indexFile, m.bytes);
    what = `index.json bytes: ${m.what}`;
  } else {
    const shard = pick(rng, readdirSync(store).filter((f) => f.endsWith('.bin')));
    const m = anyByteMutation(rng, readFileSync(join(store, shard)));
    writeFileSync(join(store, shard), m.bytes);
    what = `${shard}: ${m.what}`;
  }
  const outDir = join(caseDir, 'out');
  // train --preview loads the augmentation code and the store: fewer of those (they cost ~10× a review)
  if (rng.next() < 0.85) {
    return storeCase('shard-index', what, store, ['review', '--shards', store, '--out', outDir, '--count', '2'], outDir, ['index.json', 'out'], async () => (existsSync(join(outDir, 'index.html')) ? null : 'no index.html'));
  }
  return storeCase('shard-index', what, store, ['train', '--model', 'unet-a', '--shards', store, '--out', outDir, '--preview', '2'], outDir, ['index.json', 'out'], async () =>
    filesUnder(join(outDir, 'preview')).some((f) => f.endsWith('.png')) ? null : 'no preview pictures',
  );
}

function configCase(rng: Rng, s: Seeds, caseDir: string): FuzzCase {
  const file = join(caseDir, 'config.json');
  let what: string;
  const extra: string[] = [];
  const r = rng.next();
  if (r < 0.6) {
    const m = mutateJson(rng, s.config);
    writeFileSync(file, JSON.stringify(m.value, null, 2));
    what = m.what;
  } else if (r < 0.75) {
    const ext = pick(rng, ['default.json', 'nope.json', file, '/etc/hostname', join(CONFIG_DIR, 'paper.json'), '', '.', 42 as unknown as string]);
    writeFileSync(file, JSON.stringify({ extends: ext, ...s.config }, null, 2));
    what = `extends ${JSON.stringify(ext)}`;
  } else if (r < 0.9) {
    const m = anyByteMutation(rng, Buffer.from(JSON.stringify(s.config, null, 2)));
    writeFileSync(file, m.bytes);
    what = `bytes: ${m.what}`;
  } else {
    writeFileSync(file, JSON.stringify(s.config));
    const key = pick(rng, ['lungmask.airThresholdHu', 'features.workers', 'features.blockSlices', 'features.sigmas', 'lungmask', 'x.y', '', 'features.__proto__.x', 'constructor.prototype']);
    const value = pick(rng, ['-1', '1e308', '"x"', '[]', '{}', 'null', 'NaN', '', '[1,', '0']);
    extra.push('--set', `${key}=${value}`);
    what = `--set ${key}=${value}`;
  }
  const input = rng.next() < 0.5 ? s.nii : s.niiGz;
  // features cost ~10× a lung mask: a few of them reach the features section's checks
  if (rng.next() < 0.85) return lungmaskCase('config', what, input, caseDir, ['--config', file, ...extra]);
  const outDir = join(caseDir, 'out');
  return {
    format: 'config', what, outDir, argv: ['features', input, '--out', outDir, '--config', file, ...extra], names: ['config.json', basename(input), 'out'],
    validate: async () => {
      try {
        const meta = JSON.parse(readFileSync(join(outDir, 'features.json'), 'utf8'));
        for (const f of meta.files) await readFloatVolume(join(outDir, f));
        return null;
      } catch (e) {
        return `features unreadable: ${errorText(e)}`;
      }
    },
    leftBehind: () => (filesUnder(outDir).length ? `left ${filesUnder(outDir).join(', ')}` : null),
  };
}

/** Writes the mutated input(s) of one case of `format` under `caseDir`. */
export function makeCase(format: FormatName, rng: Rng, seeds: Seeds, caseDir: string): FuzzCase {
  mkdirSync(caseDir, { recursive: true });
  switch (format) {
    case 'dicom':
      return dicomCase(rng, seeds, caseDir);
    case 'nifti':
      return niftiCase(rng, seeds, caseDir);
    case 'nrrd':
    case 'mha':
      return textHeaderCase(format, rng, seeds, caseDir);
    case 'png':
    case 'jpg':
      return pictureCase(format, rng, seeds, caseDir);
    case 'correction':
      return correctionCase(rng, seeds, caseDir);
    case 'shard-index':
      return shardIndexCase(rng, seeds, caseDir);
    case 'config':
      return configCase(rng, seeds, caseDir);
  }
}
