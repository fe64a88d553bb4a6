/**
 * Splits `total` draws over groups holding `available[i]` items each, as evenly as possible
 * (max-min fair: no group gets more than another unless that one has run out). The first groups
 * get the remainder's extra one. Returns draws per group; their sum is min(total, Σ available).
 */
export function allocateQuota(available: readonly number[], total: number): number[] {
  const quota = available.map(() => 0);
  let left = Math.min(total, available.reduce((s, a) => s + a, 0));
  let open = available.map((_, i) => i).filter((i) => available[i] > 0);
  while (left > 0 && open.length > 0) {
    const share = Math.floor(left / open.length);
    if (share === 0) {
      for (const i of open.slice(0, left)) quota[i]++;
      break;
    }
    for (const i of open) {
      const take = Math.min(share, available[i] - quota[i]);
      quota[i] += take;
      left -= take;
    }
    open = open.filter((i) => quota[i] < available[i]);
  }
  return quota;
}
