import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { InputError } from './errors.js';
import { readJsonFile } from './readJsonFile.js';
import { tempPathFor, writeFailure, writeFileAtomicSync, writeJsonAtomic } from './atomicWrite.js';
import { LABEL_COUNT } from './labels.js';

/**
 * Slice shard store: 2D training slices (int16 HU image + uint8 label) packed into shard files of
 * bounded size, with `index.json` listing every slice's location and a SHA-256 per shard, so a
 * trainer streams any slice by random access without loading the store.
 *
 * Layout: DIR/index.json, DIR/shard-00000.bin, … Each record is the image (h·w int16 LE) followed by
 * the label (h·w uint8), at `offset` in its shard.
 */
export interface SliceRecord {
  key: string;
  caseId: string;
  /** Slice index z in the source volume. */
  sliceIndex: number;
  height: number;
  width: number;
  /** [sy, sx] pixel spacing, mm. */
  spacing: [number, number];
  /** HU, row-major (x fastest). */
  image: Int16Array;
  /** Label values 0–4, row-major. */
  label: Uint8Array;
  /** The labels were checked or corrected by a person (import-corrections): trainers oversample them, relabelling keeps them. */
  corrected?: boolean;
}

export interface SliceEntry extends Omit<SliceRecord, 'image' | 'label'> {
  shard: number;
  offset: number;
  /** Pixels per label value 0..4. */
  classCounts: number[];
}

export interface ShardInfo {
  file: string;
  count: number;
  bytes: number;
  sha256: string;
}

export interface ShardIndex {
  version: 1;
  slices: SliceEntry[];
  shards: ShardInfo[];
  /** Free-form provenance (config hash, source stage…). */
  meta?: Record<string, unknown>;
}

/** Number of label values (0 bg, 1 lung, 2 GGO, 3 consolidation, 4 vessels). */

/** The store's key of slice z of a case: filename-safe, sortable. */
export function sliceKey(caseId: string, z: number): string {
  return `${caseId}_z${String(z).padStart(4, '0')}`;
}

const shardName = (i: number) => `shard-${String(i).padStart(5, '0')}.bin`;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function countClasses(label: Uint8Array, key: string): number[] {
  const c = new Array(LABEL_COUNT).fill(0);
  for (let i = 0; i < label.length; i++) {
    const v = label[i];
    if (v >= LABEL_COUNT) throw new InputError(`label value ${v} at pixel ${i} is outside 0–${LABEL_COUNT - 1}`, key);
    c[v]++;
  }
  return c;
}

/** Validates a record's sizes and values; throws InputError naming the slice key. */
export function validateRecord(r: SliceRecord): void {
  const n = r.height * r.width;
  if (!Number.isInteger(n) || n <= 0) throw new InputError(`bad slice size ${r.width}×${r.height}`, r.key);
  if (r.image.length !== n) throw new InputError(`image has ${r.image.length} pixels, expected ${r.width}×${r.height}`, r.key);
  if (r.label.length !== n) throw new InputError(`label has ${r.label.length} pixels, expected ${r.width}×${r.height}`, r.key);
}

/** Writes a shard store; nothing is visible in DIR until `close()` writes index.json. */
export class ShardWriter {
  private readonly slices: SliceEntry[] = [];
  private readonly shards: ShardInfo[] = [];
  private parts: Buffer[] = [];
  private bytes = 0;
  private readonly keys = new Set<string>();
  private readonly dirExisted: boolean;

  constructor(readonly dir: string, readonly opts: { maxShardBytes?: number; meta?: Record<string, unknown> } = {}) {
    if (existsSync(join(dir, 'index.json'))) throw new InputError('a shard store already exists here; remove it or choose another folder', dir);
    this.dirExisted = existsSync(dir);
  }

  /** Appends one slice (copied). */
  add(r: SliceRecord): void {
    validateRecord(r);
    if (this.keys.has(r.key)) throw new InputError('duplicate slice key', r.key);
    this.keys.add(r.key);
    const classCounts = countClasses(r.label, r.key);
    const img = Buffer.from(r.image.buffer, r.image.byteOffset, r.image.byteLength);
    const lab = Buffer.from(r.label.buffer, r.label.byteOffset, r.label.byteLength);
    const size = img.length + lab.length;
    if (this.bytes > 0 && this.bytes + size > (this.opts.maxShardBytes ?? 256 * 2 ** 20)) this.flush();
    this.slices.push({ key: r.key, caseId: r.caseId, sliceIndex: r.sliceIndex, height: r.height, width: r.width, spacing: [...r.spacing], shard: this.shards.length, offset: this.bytes, classCounts, ...(r.corrected ? { corrected: true } : {}) });
    this.parts.push(Buffer.from(img), Buffer.from(lab));
    this.bytes += size;
  }

  /** Removes the shard files written so far (and DIR when this writer created it and it is empty): a failed store leaves nothing. */
  abort(): void {
    for (const s of this.shards) rmSync(join(this.dir, s.file), { force: true });
    this.shards.length = 0;
    if (!this.dirExisted && existsSync(this.dir) && readdirSync(this.dir).length === 0) rmdirSync(this.dir);
  }

  private flush(): void {
    try {
      this.flushOnce();
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  private flushOnce(): void {
    if (this.bytes === 0) return;
    const buf = Buffer.concat(this.parts);
    const file = shardName(this.shards.length);
    writeFileAtomicSync(join(this.dir, file), buf);
    this.shards.push({ file, count: this.slices.filter((s) => s.shard === this.shards.length).length, bytes: buf.length, sha256: sha256(buf) });
    this.parts = [];
    this.bytes = 0;
  }

  /** Writes the last shard and index.json; returns the index. */
  close(): ShardIndex {
    this.flush();
    const index: ShardIndex = { version: 1, slices: this.slices, shards: [...this.shards], ...(this.opts.meta ? { meta: this.opts.meta } : {}) };
    try {
      writeJsonAtomic(join(this.dir, 'index.json'), index);
    } catch (e) {
      this.abort();
      throw e;
    }
    return index;
  }
}

/** Adds slices `zs` of one case (HU volume + its label volume on the same grid) to a shard store. */
export function addCaseSlices(writer: ShardWriter, caseId: string, image: { data: Int16Array; shape: readonly [number, number, number]; spacing: readonly [number, number, number] }, labels: Uint8Array, zs: readonly number[]): void {
  const [, ny, nx] = image.shape;
  const plane = ny * nx;
  for (const z of zs) {
    writer.add({
      key: sliceKey(caseId, z), caseId, sliceIndex: z, height: ny, width: nx, spacing: [image.spacing[1], image.spacing[2]],
      image: image.data.slice(z * plane, (z + 1) * plane), label: labels.slice(z * plane, (z + 1) * plane),
    });
  }
}

/** Reads and validates DIR/index.json. */
export function readShardIndex(dir: string): ShardIndex {
  const p = join(dir, 'index.json');
  if (!existsSync(p)) throw new InputError('not a shard store (no index.json)', dir);
  const idx = readJsonFile<ShardIndex>(p);
  if (idx === null || typeof idx !== 'object' || idx.version !== 1 || !Array.isArray(idx.slices) || !Array.isArray(idx.shards)) throw new InputError('unsupported shard index version or shape', p);
  if (idx.slices.length === 0) throw new InputError('shard store holds no slices', dir);
  const problem = shardIndexProblem(idx);
  if (problem) throw new InputError(`corrupt index.json: ${problem}`, p);
  return idx;
}

/** Largest slice side the store accepts (pixels): a bigger one is a corrupt entry, not a CT slice. */
const MAX_SLICE_SIDE = 8192;
/** A value as it stands in the JSON, 'missing' when absent. */
const show = (x: unknown) => (x === undefined ? 'missing' : JSON.stringify(x));
const isCount = (x: unknown, min = 0): x is number => Number.isSafeInteger(x) && (x as number) >= min;

/**
 * The first thing wrong in an index's entries (types, ranges, a slice past its shard's end, a shard file
 * name that is not the store's own), or null: nothing of a corrupt index reaches a read or a file path.
 */
export function shardIndexProblem(idx: ShardIndex): string | null {
  const shards = idx.shards as unknown[];
  for (let i = 0; i < shards.length; i++) {
    const s = shards[i] as ShardInfo;
    if (!s || typeof s !== 'object') return `shards[${i}] is not an object`;
    if (s.file !== shardName(i)) return `shards[${i}].file is ${show(s.file)}, expected ${shardName(i)}`;
    if (!isCount(s.count) || !isCount(s.bytes)) return `shards[${i}]: count and bytes must be non-negative integers`;
    if (typeof s.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(s.sha256)) return `shards[${i}].sha256 is not a SHA-256`;
  }
  const keys = new Set<string>();
  for (let i = 0; i < idx.slices.length; i++) {
    const e = idx.slices[i] as SliceEntry;
    const where = `slices[${i}]`;
    if (!e || typeof e !== 'object') return `${where} is not an object`;
    if (typeof e.key !== 'string' || !/^[\w.-]+$/.test(e.key)) return `${where}.key is not a slice key`;
    if (keys.has(e.key)) return `${where}: duplicate slice key ${e.key}`;
    keys.add(e.key);
    if (typeof e.caseId !== 'string' || !e.caseId) return `${where} (${e.key}).caseId is not a case id`;
    if (!isCount(e.sliceIndex)) return `${where} (${e.key}).sliceIndex is not a non-negative integer`;
    if (!isCount(e.height, 1) || !isCount(e.width, 1) || e.height > MAX_SLICE_SIDE || e.width > MAX_SLICE_SIDE) return `${where} (${e.key}): size ${show(e.width)}×${show(e.height)} is not 1–${MAX_SLICE_SIDE} pixels a side`;
    if (!Array.isArray(e.spacing) || e.spacing.length !== 2 || !e.spacing.every((x) => typeof x === 'number' && x > 0 && Number.isFinite(x))) return `${where} (${e.key}).spacing is not two positive numbers`;
    if (!isCount(e.shard) || e.shard >= shards.length) return `${where} (${e.key}).shard ${show(e.shard)} is not one of the ${shards.length} shard(s)`;
    const bytes = 3 * e.height * e.width;
    if (!isCount(e.offset) || e.offset + bytes > idx.shards[e.shard].bytes) return `${where} (${e.key}): ${bytes} bytes at offset ${show(e.offset)} run past the end of ${shardName(e.shard)} (${idx.shards[e.shard].bytes} bytes)`;
    if (!Array.isArray(e.classCounts) || e.classCounts.length !== LABEL_COUNT || !e.classCounts.every((c) => isCount(c)) || e.classCounts.reduce((a, b) => a + b, 0) !== e.height * e.width) {
      return `${where} (${e.key}).classCounts are not ${LABEL_COUNT} pixel counts summing to ${e.width}×${e.height}`;
    }
  }
  return null;
}

/** Reads one slice by random access. */
export function readSlice(dir: string, e: SliceEntry): SliceRecord {
  const info = { n: e.height * e.width };
  const buf = new Uint8Array(info.n * 3);
  const fd = openSync(join(dir, shardName(e.shard)), 'r');
  try {
    const got = readSync(fd, buf, 0, buf.length, e.offset);
    if (got !== buf.length) throw new InputError(`shard is truncated: slice ${e.key} needs ${buf.length} bytes at ${e.offset}, got ${got}`, join(dir, shardName(e.shard)));
  } finally {
    closeSync(fd);
  }
  const { shard: _s, offset: _o, classCounts: _c, ...rest } = e;
  return { ...rest, spacing: [...e.spacing] as [number, number], image: new Int16Array(buf.buffer, 0, info.n), label: buf.subarray(info.n * 2) };
}

/** The slices of a store flagged `corrected` (by import-corrections), with their pixels. */
export function readCorrectedSlices(dir: string): SliceRecord[] {
  return readShardIndex(dir).slices.filter((e) => e.corrected).map((e) => readSlice(dir, e));
}

/** Streams slices in `order` (indices into index.slices; default: stored order). */
export function* iterateSlices(dir: string, order?: readonly number[]): Generator<SliceRecord> {
  const idx = readShardIndex(dir);
  const ids = order ?? idx.slices.map((_, i) => i);
  for (const i of ids) yield readSlice(dir, idx.slices[i]);
}

/** Checks every shard's size and SHA-256 against the index; returns the problems found. */
export function verifyShards(dir: string): string[] {
  const idx = readShardIndex(dir);
  const problems: string[] = [];
  for (const s of idx.shards) {
    const p = join(dir, s.file);
    if (!existsSync(p)) {
      problems.push(`${s.file}: missing`);
      continue;
    }
    const b = readFileSync(p);
    if (b.length !== s.bytes) problems.push(`${s.file}: ${b.length} bytes, index says ${s.bytes}`);
    else if (sha256(b) !== s.sha256) problems.push(`${s.file}: checksum mismatch`);
  }
  return problems;
}

/**
 * Replaces the labels of slices (by key) in place: each touched shard is rewritten atomically and
 * the index updated. Validates every replacement before writing anything. With `markCorrected`, every
 * replaced slice (changed or not) is flagged `corrected` in the index.
 * Returns pixels changed per slice and class (old → new counts difference).
 */
export async function replaceSliceLabels(dir: string, replacements: Map<string, Uint8Array>, opts: { markCorrected?: boolean } = {}): Promise<{ key: string; changedPixels: number; classCountsBefore: number[]; classCountsAfter: number[] }[]> {
  const idx = readShardIndex(dir);
  const byKey = new Map(idx.slices.map((s) => [s.key, s]));
  for (const [key, label] of replacements) {
    const e = byKey.get(key);
    if (!e) throw new InputError('unknown slice key (not in this shard store)', key);
    if (label.length !== e.height * e.width) throw new InputError(`label has ${label.length} pixels, slice is ${e.width}×${e.height}`, key);
    countClasses(label, key);
  }
  const report = [];
  const touched = new Set<number>();
  let flagged = false;
  const shardBufs = new Map<number, Buffer>();
  for (const [key, label] of replacements) {
    const e = byKey.get(key)!;
    let buf = shardBufs.get(e.shard);
    if (!buf) shardBufs.set(e.shard, (buf = readFileSync(join(dir, idx.shards[e.shard].file))));
    const n = e.height * e.width;
    const old = buf.subarray(e.offset + 2 * n, e.offset + 3 * n);
    let changed = 0;
    for (let i = 0; i < n; i++) if (old[i] !== label[i]) changed++;
    const before = e.classCounts;
    const after = countClasses(label, key);
    if (changed > 0) {
      old.set(label);
      e.classCounts = after;
      touched.add(e.shard);
    }
    if (opts.markCorrected && !e.corrected) flagged = e.corrected = true;
    report.push({ key, changedPixels: changed, classCountsBefore: before, classCountsAfter: after });
  }
  // every new file is written beside its old one first, and only then renamed over it: a failed write
  // (disk full) leaves the store as it was, not some shards new and index.json old
  for (const s of touched) idx.shards[s].sha256 = sha256(shardBufs.get(s)!);
  const files = [...touched].map((s) => ({ path: join(dir, idx.shards[s].file), data: shardBufs.get(s)! as Uint8Array }));
  if (touched.size || flagged) files.push({ path: join(dir, 'index.json'), data: Buffer.from(JSON.stringify(idx, null, 2) + '\n') });
  const staged: { tmp: string; path: string }[] = [];
  try {
    for (const f of files) {
      const tmp = tempPathFor(f.path);
      staged.push({ tmp, path: f.path });
      writeFileSync(tmp, f.data);
    }
  } catch (e) {
    for (const t of staged) rmSync(t.tmp, { force: true });
    throw writeFailure(e, staged[staged.length - 1].path);
  }
  for (const t of staged) renameSync(t.tmp, t.path);
  return report;
}
