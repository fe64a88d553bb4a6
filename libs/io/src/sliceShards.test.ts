import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardWriter, readShardIndex, readSlice, iterateSlices, verifyShards, replaceSliceLabels, sliceKey, type SliceRecord } from './sliceShards.js';

function record(caseId: string, z: number, h = 6, w = 5): SliceRecord {
  const n = h * w;
  return {
    key: sliceKey(caseId, z), caseId, sliceIndex: z, height: h, width: w, spacing: [0.7, 0.8],
    image: Int16Array.from({ length: n }, (_, i) => -1000 + i + 100 * z),
    label: Uint8Array.from({ length: n }, (_, i) => (i + z) % 5),
  };
}

describe('slice shard store', () => {
  it('round-trips slices across several bounded shards', () => {
    const dir = mkdtempSync(join(tmpdir(), 'covseg-shards-'));
    const w = new ShardWriter(dir, { maxShardBytes: 250 });
    const recs = [record('a', 0), record('a', 3), record('b', 1, 4, 7), record('c', 2)];
    recs.forEach((r) => w.add(r));
    const idx = w.close();
    expect(idx.shards.length).toBeGreaterThan(1);
    expect(idx.shards.every((s) => s.bytes <= 250)).toBe(true);
    expect(readShardIndex(dir).slices.map((s) => s.key)).toEqual(['a_z0000', 'a_z0003', 'b_z0001', 'c_z0002']);
    const back = [...iterateSlices(dir)];
    back.forEach((r, i) => {
      expect(Array.from(r.image)).toEqual(Array.from(recs[i].image));
      expect(Array.from(r.label)).toEqual(Array.from(recs[i].label));
      expect(r.spacing).toEqual([0.7, 0.8]);
    });
    expect(idx.slices[2].classCounts.reduce((a, b) => a + b)).toBe(28);
    expect(verifyShards(dir)).toEqual([]);
  });

  it('rejects a mismatched label size and label values outside 0–4', () => {
    const dir = mkdtempSync(join(tmpdir(), 'covseg-shards-'));
    const w = new ShardWriter(dir);
    expect(() => w.add({ ...record('a', 0), label: new Uint8Array(3) })).toThrow(/a_z0000: label has 3 pixels, expected 5×6/);
    const bad = record('a', 1);
    bad.label[4] = 7;
    expect(() => w.add(bad)).toThrow(/label value 7/);
  });

  it('replaces exactly the named slice label and detects tampering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'covseg-shards-'));
    const w = new ShardWriter(dir);
    const recs = [record('a', 0), record('a', 1), record('b', 0)];
    recs.forEach((r) => w.add(r));
    w.close();
    const fresh = new Uint8Array(30).fill(2);
    const rep = await replaceSliceLabels(dir, new Map([['a_z0001', fresh]]));
    expect(rep[0].changedPixels).toBe(30 - recs[1].label.filter((v) => v === 2).length);
    const idx = readShardIndex(dir);
    expect(Array.from(readSlice(dir, idx.slices[1]).label)).toEqual(Array.from(fresh));
    expect(Array.from(readSlice(dir, idx.slices[0]).label)).toEqual(Array.from(recs[0].label));
    expect(Array.from(readSlice(dir, idx.slices[2]).image)).toEqual(Array.from(recs[2].image));
    expect(verifyShards(dir)).toEqual([]);
    const again = await replaceSliceLabels(dir, new Map([['a_z0001', fresh]]));
    expect(again[0].changedPixels).toBe(0);
    await expect(replaceSliceLabels(dir, new Map([['zz_z0001', fresh]]))).rejects.toThrow(/zz_z0001: unknown slice key/);
    const f = join(dir, idx.shards[0].file);
    const b = readFileSync(f);
    b[0] ^= 1;
    writeFileSync(f, b);
    expect(verifyShards(dir)[0]).toMatch(/checksum mismatch/);
    expect(readdirSync(dir).filter((x) => x.includes('.tmp-'))).toEqual([]);
  });

  it('flags replaced slices as corrected (also when unchanged), keeps the flag through readSlice and a rewrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'covseg-shards-'));
    const w = new ShardWriter(dir);
    const recs = [record('a', 0), record('a', 1), record('b', 0)];
    recs.forEach((r) => w.add(r));
    w.close();
    await replaceSliceLabels(dir, new Map([['a_z0001', new Uint8Array(30).fill(2)]]));
    expect(readShardIndex(dir).slices.map((s) => !!s.corrected)).toEqual([false, false, false]);
    const rep = await replaceSliceLabels(dir, new Map([['a_z0001', new Uint8Array(30).fill(2)], ['b_z0000', recs[2].label]]), { markCorrected: true });
    expect(rep.map((r) => r.changedPixels)).toEqual([0, 0]);
    const idx = readShardIndex(dir);
    expect(idx.slices.map((s) => !!s.corrected)).toEqual([false, true, true]);
    expect(readSlice(dir, idx.slices[1]).corrected).toBe(true);
    expect(readSlice(dir, idx.slices[0]).corrected).toBeUndefined();
    const copy = mkdtempSync(join(tmpdir(), 'covseg-shards-'));
    const w2 = new ShardWriter(join(copy, 's'));
    for (const r of iterateSlices(dir)) w2.add(r);
    expect(w2.close().slices.map((s) => !!s.corrected)).toEqual([false, true, true]);
    expect(verifyShards(dir)).toEqual([]);
  });
});
