import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import { InputError, readLabelVolume, readShardIndex, readSlice, replaceSliceLabels, writeJsonAtomic, type SliceEntry } from '@covseg/io';
import { decodeLabelPng } from './labelPng.js';

/** One replaced slice in the corrections log. */
export interface CorrectionRecord {
  key: string;
  /** File the corrected labels came from (base name). */
  source: string;
  sha256: string;
  changedPixels: number;
  /** Changed pixels by their old label value 0..4. */
  fromClass: number[];
  /** Changed pixels by their new label value 0..4. */
  toClass: number[];
}

/** DIR/corrections.json in the shard store: the latest correction of each slice key. */
export interface CorrectionsLog {
  corrections: Record<string, CorrectionRecord>;
}

export interface ImportResult {
  /** Slices whose labels changed in this run. */
  replaced: CorrectionRecord[];
  /** Slices whose stored labels already equalled the correction. */
  unchanged: string[];
}

const LOG = 'corrections.json';
const VALUES = 5;
const NIFTI = /\.nii(\.gz)?$/i;
const PNG_FILE = /\.png$/i;
const ZIP = /\.zip$/i;

/** The correction files under PATH: a .png / .nii(.gz) / .zip file, or those directly in a folder (sorted). */
export function correctionFiles(path: string): string[] {
  if (!existsSync(path)) throw new InputError('no such file or folder', path);
  const files = statSync(path).isDirectory() ? readdirSync(path).sort().map((f) => join(path, f)).filter((f) => statSync(f).isFile()) : [path];
  const usable = files.filter((f) => PNG_FILE.test(f) || NIFTI.test(f) || ZIP.test(f));
  if (usable.length === 0) throw new InputError('no .png, .nii/.nii.gz or .zip correction file found', path);
  return usable;
}

/** The label-map PNGs of a zip (e.g. the correction page's download) with their entry names; an entry in a folder counts by its base name. */
export function zipLabelMaps(file: string, bytes: Uint8Array): { name: string; entry: string; bytes: Buffer }[] {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new InputError(`not a readable zip: ${(e as Error).message}`, file);
  }
  const pngs = Object.keys(entries).sort().filter((n) => PNG_FILE.test(n));
  if (pngs.length === 0) throw new InputError('the zip holds no .png label map', file);
  return pngs.map((n) => ({ name: `${file} (${n})`, entry: n, bytes: Buffer.from(entries[n]) }));
}

/** Corrected labels keyed by slice key, read and validated against the store; nothing is written. */
export async function readCorrections(files: readonly string[], index: { slices: SliceEntry[] }, colourTolerance: number): Promise<Map<string, { label: Uint8Array; source: string; sha256: string }>> {
  const byKey = new Map(index.slices.map((s) => [s.key, s]));
  const out = new Map<string, { label: Uint8Array; source: string; sha256: string }>();
  const put = (key: string, label: Uint8Array, file: string, bytes: Buffer) => {
    if (out.has(key)) throw new InputError(`slice ${key} is corrected twice (also in ${out.get(key)!.source})`, file);
    out.set(key, { label, source: basename(file), sha256: createHash('sha256').update(bytes).digest('hex') });
  };
  const putPng = (file: string, entryName: string, bytes: Buffer) => {
    const key = basename(entryName).replace(PNG_FILE, '');
    const e = byKey.get(key);
    if (!e) throw new InputError(`unknown slice key '${key}' (the file name must be a slice key of the shard store)`, file);
    const { width, height, label } = decodeLabelPng(bytes, file, colourTolerance);
    if (width !== e.width || height !== e.height) throw new InputError(`label map is ${width}×${height}, slice ${key} is ${e.width}×${e.height}`, file);
    put(key, label, file, bytes);
  };
  for (const file of files) {
    const bytes = readFileSync(file);
    if (ZIP.test(file)) {
      for (const m of zipLabelMaps(file, bytes)) putPng(m.name, m.entry, m.bytes);
      continue;
    }
    if (PNG_FILE.test(file)) {
      putPng(file, file, bytes);
      continue;
    }
    const caseId = basename(file).replace(NIFTI, '');
    const slices = index.slices.filter((s) => s.caseId === caseId);
    if (slices.length === 0) throw new InputError(`unknown case '${caseId}' (the file name must be a case id with slices in the shard store)`, file);
    const vol = await readLabelVolume(file);
    const [nz, ny, nx] = vol.shape;
    for (const e of slices) {
      if (ny !== e.height || nx !== e.width || e.sliceIndex >= nz) throw new InputError(`label volume is ${nx}×${ny}×${nz}, slice ${e.key} needs ${e.width}×${e.height} with z=${e.sliceIndex}`, file);
    }
    for (let i = 0; i < vol.data.length; i++) {
      if (vol.data[i] >= VALUES) throw new InputError(`label value ${vol.data[i]} at voxel index ${i} is outside 0–${VALUES - 1}`, file);
    }
    const plane = ny * nx;
    for (const e of slices) put(e.key, vol.data.slice(e.sliceIndex * plane, (e.sliceIndex + 1) * plane), file, bytes);
  }
  return out;
}

/** Reads DIR/corrections.json (empty when absent). */
export function readCorrectionsLog(shardDir: string): CorrectionsLog {
  const p = join(shardDir, LOG);
  if (!existsSync(p)) return { corrections: {} };
  return JSON.parse(readFileSync(p, 'utf8')) as CorrectionsLog;
}

/**
 * `covseg import-corrections`: replaces the labels of the corrected slices in the shard store, flags
 * them `corrected` in its index and records each (slice key, pixels changed per class) in
 * DIR/corrections.json. Every file is validated before anything is written; a re-run with the same
 * files changes nothing.
 */
export async function importCorrections(shardDir: string, from: string, opts: { colourTolerance: number }): Promise<ImportResult> {
  const index = readShardIndex(shardDir);
  const corrections = await readCorrections(correctionFiles(from), index, opts.colourTolerance);
  const byKey = new Map(index.slices.map((s) => [s.key, s]));
  const records = new Map<string, CorrectionRecord>();
  for (const [key, c] of corrections) {
    const old = readSlice(shardDir, byKey.get(key)!).label;
    const fromClass = new Array(VALUES).fill(0), toClass = new Array(VALUES).fill(0);
    let changedPixels = 0;
    for (let i = 0; i < old.length; i++) {
      if (old[i] === c.label[i]) continue;
      changedPixels++;
      fromClass[old[i]]++;
      toClass[c.label[i]]++;
    }
    records.set(key, { key, source: c.source, sha256: c.sha256, changedPixels, fromClass, toClass });
  }
  const changed = [...records.values()].filter((r) => r.changedPixels > 0);
  // every imported slice is flagged corrected, also one a person confirmed unchanged: its labels are checked
  await replaceSliceLabels(shardDir, new Map([...corrections].map(([key, c]) => [key, c.label])), { markCorrected: true });
  const log = readCorrectionsLog(shardDir);
  const logged = [...records.values()].filter((r) => r.changedPixels > 0 || !log.corrections[r.key]);
  for (const r of logged) log.corrections[r.key] = r;
  if (logged.length) writeJsonAtomic(join(shardDir, LOG), log);
  return { replaced: changed, unchanged: [...records.values()].filter((r) => r.changedPixels === 0).map((r) => r.key) };
}
