import { InputError } from './errors.js';

/** Parses `--shard k/n` (1-based k): which of n workers this is. */
export function parseShard(spec: string | undefined): { k: number; n: number } {
  if (!spec) return { k: 1, n: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  if (!m || +m[1] < 1 || +m[1] > +m[2]) throw new InputError(`--shard must be k/n with 1 ≤ k ≤ n, got '${spec}'`);
  return { k: +m[1], n: +m[2] };
}

/** The items of worker k of n: round-robin over the given order, so every item lands in exactly one shard. */
export function itemsOfShard<T>(items: readonly T[], shard: { k: number; n: number }): T[] {
  return items.filter((_, i) => i % shard.n === shard.k - 1);
}
