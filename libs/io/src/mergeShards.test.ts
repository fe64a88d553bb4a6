import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardWriter, iterateSlices, readShardIndex, sliceKey, verifyShards, type SliceRecord } from './sliceShards.js';
import { mergeShardStores } from './mergeShards.js';

function record(caseId: string, z: number, h = 4, w = 3): SliceRecord {
  const n = h * w;
  return {
    key: sliceKey(caseId, z), caseId, sliceIndex: z, height: h, width: w, spacing: [0.7, 0.8],
    image: Int16Array.from({ length: n }, (_, i) => -900 + 7 * i + 50 * z),
    label: Uint8Array.from({ length: n }, (_, i) => (i * 3 + z) % 5),
  };
}
const store = (dir: string, recs: SliceRecord[]) => {
  const w = new ShardWriter(dir, { maxShardBytes: 64 });
  recs.forEach((r) => w.add(r));
  return w.close();
};

describe('mergeShardStores', () => {
  it('concatenates stores: same slices, bytes and order; shards verify', () => {
    const d = mkdtempSync(join(tmpdir(), 'covseg-merge-'));
    const a = [record('img1', 0), record('img2', 0, 5, 2)];
    const b = [record('case-000', 3), record('case-000', 9)];
    store(join(d, 'a'), a);
    store(join(d, 'b'), b);
    const idx = mergeShardStores([join(d, 'a'), join(d, 'b')], join(d, 'm'));
    expect(idx.slices.map((s) => s.key)).toEqual(['img1_z0000', 'img2_z0000', 'case-000_z0003', 'case-000_z0009']);
    const back = [...iterateSlices(join(d, 'm'))];
    [...a, ...b].forEach((r, i) => {
      expect(Array.from(back[i].image)).toEqual(Array.from(r.image));
      expect(Array.from(back[i].label)).toEqual(Array.from(r.label));
    });
    expect(verifyShards(join(d, 'm'))).toEqual([]);
    expect((readShardIndex(join(d, 'm')).meta!.mergedFrom as { slices: number }[]).map((m) => m.slices)).toEqual([2, 2]);
  });

  it('a duplicate slice key fails and leaves the output folder untouched', () => {
    const d = mkdtempSync(join(tmpdir(), 'covseg-merge-'));
    store(join(d, 'a'), [record('x', 0)]);
    store(join(d, 'b'), [record('x', 0)]);
    expect(() => mergeShardStores([join(d, 'a'), join(d, 'b')], join(d, 'm'))).toThrow(/duplicate slice key/);
    expect(existsSync(join(d, 'm'))).toBe(false);
    expect(existsSync(`${join(d, 'm')}.tmp-${process.pid}`)).toBe(false);
  });
});
