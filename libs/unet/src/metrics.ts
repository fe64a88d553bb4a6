import { LESION_LABELS } from '@covseg/io';
import { CLASS_COUNT, CLASS_NAMES } from './model.js';

/** Confusion counts [truth][prediction] over label values 0..4, accumulated across batches. */
export class Confusion {
  readonly counts = new Float64Array(CLASS_COUNT * CLASS_COUNT);

  /** Adds a labelled prediction (same length, values 0..4). */
  add(truth: Uint8Array, pred: Uint8Array): void {
    for (let i = 0; i < truth.length; i++) this.counts[truth[i] * CLASS_COUNT + pred[i]]++;
  }

  /** Dice of the union of `classes` (truth ∈ set vs prediction ∈ set); null when both are empty. */
  diceOf(classes: readonly number[]): number | null {
    const inSet = (c: number) => classes.includes(c);
    let tp = 0;
    let t = 0;
    let p = 0;
    for (let a = 0; a < CLASS_COUNT; a++)
      for (let b = 0; b < CLASS_COUNT; b++) {
        const n = this.counts[a * CLASS_COUNT + b];
        if (inSet(a)) t += n;
        if (inSet(b)) p += n;
        if (inSet(a) && inSet(b)) tp += n;
      }
    return t + p === 0 ? null : (2 * tp) / (t + p);
  }

  /** Dice per class name plus `lesion` (GGO ∪ consolidation). */
  dice(): Record<(typeof CLASS_NAMES)[number] | 'lesion', number | null> {
    const out = Object.fromEntries(CLASS_NAMES.map((name, c) => [name, this.diceOf([c])])) as Record<(typeof CLASS_NAMES)[number] | 'lesion', number | null>;
    out.lesion = this.diceOf(LESION_LABELS);
    return out;
  }
}


/** Arg-max over the last axis of channel-last probabilities [N·C] → label values. */
export function argmaxLabels(probs: Float32Array | ArrayLike<number>, classes: number, out = new Uint8Array(probs.length / classes)): Uint8Array {
  for (let i = 0, o = 0; o < out.length; o++, i += classes) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i + c] > probs[i + best]) best = c;
    out[o] = best;
  }
  return out;
}
