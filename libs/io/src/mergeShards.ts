import { existsSync, renameSync, rmSync } from 'node:fs';
import { InputError } from './errors.js';
import { readShardIndex, readSlice, ShardWriter, type ShardIndex } from './sliceShards.js';

/**
 * Concatenates shard stores into one at `outDir` (slices in store order, then index order), e.g. the cohort's
 * pseudo-label slices plus phantom slices. Written to a temp folder and renamed, so `outDir` is all or nothing.
 * Slice keys must be unique across the stores.
 */
export function mergeShardStores(dirs: readonly string[], outDir: string, opts: { maxShardBytes?: number; meta?: Record<string, unknown> } = {}): ShardIndex {
  if (!dirs.length) throw new InputError('no shard store to merge');
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const writer = new ShardWriter(tmp, { maxShardBytes: opts.maxShardBytes, meta: { ...opts.meta, mergedFrom: dirs.map((d) => ({ dir: d, slices: readShardIndex(d).slices.length })) } });
  try {
    for (const d of dirs) for (const e of readShardIndex(d).slices) writer.add(readSlice(d, e));
    const index = writer.close();
    if (existsSync(outDir)) rmSync(outDir, { recursive: true });
    renameSync(tmp, outDir);
    return index;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
