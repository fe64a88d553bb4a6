import type { Rng } from '@covseg/io';

/** `count` distinct integers of [0, n) in increasing order, uniformly at random (partial Fisher–Yates). */
export function sampleIndices(n: number, count: number, rng: Rng): Uint32Array {
  if (count >= n) return Uint32Array.from({ length: n }, (_, i) => i);
  // Sparse Fisher–Yates: only the swapped positions are stored, so memory is O(count) for huge n.
  const swapped = new Map<number, number>();
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const j = i + Math.min(n - i - 1, Math.floor(rng.next() * (n - i)));
    const vj = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    out[i] = vj;
  }
  return out.sort();
}
