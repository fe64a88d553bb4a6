/**
 * Area under the ROC curve of `scores` for binary `labels` (1 = positive): the Mann–Whitney probability that a
 * positive scores above a negative, ties counting one half. Null when either class is absent.
 */
export function rocAuc(scores: readonly number[], labels: readonly (0 | 1)[]): number | null {
  const order = scores.map((s, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0, neg = 0, rankSumPos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && scores[order[j]] === scores[order[i]]) j++;
    const midRank = (i + 1 + j) / 2; // average 1-based rank of the tied run
    for (let k = i; k < j; k++) if (labels[order[k]]) (pos++, (rankSumPos += midRank));
    neg += j - i;
    i = j;
  }
  neg -= pos;
  if (!pos || !neg) return null;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Confusion counts and sensitivity / specificity of calling `score > threshold` positive (null where a class is absent). */
export function sensitivitySpecificity(scores: readonly number[], labels: readonly (0 | 1)[], threshold: number) {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  scores.forEach((s, i) => {
    const called = s > threshold;
    if (labels[i]) called ? tp++ : fn++;
    else called ? fp++ : tn++;
  });
  return { tp, fp, tn, fn, sensitivity: tp + fn ? tp / (tp + fn) : null, specificity: tn + fp ? tn / (tn + fp) : null };
}
