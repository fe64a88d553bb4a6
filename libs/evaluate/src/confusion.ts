import { InputError, LABEL_NAMES } from '@covseg/io';
import type { ValueMap } from './overlap.js';
import { targetValueOf } from './overlap.js';

/** Names of covseg's predicted label values 0–4 (the columns of a confusion matrix). */
export const PRED_CLASSES = LABEL_NAMES;
/** Names of the (mapped) reference values 0–5; 5 = lesion of unknown class (binary infection masks). */
export const TRUTH_CLASSES = [...LABEL_NAMES, 'lesion'] as const;

/** Truth class × predicted class counts (voxels or pixels), pooled over cases. */
export interface ConfusionMatrix {
  /** Row names: the reference classes the map can produce (background always first). */
  truth: string[];
  /** Column names: covseg's label values 0–4. */
  pred: string[];
  /** counts[r][c]: voxels whose reference is truth[r] and prediction pred[c]. */
  counts: number[][];
}

/** Mapped reference values the rows stand for: 0–4 without a map, else background plus the map's targets. */
export function truthRowValues(map?: ValueMap): number[] {
  if (!map) return [0, 1, 2, 3, 4];
  const values = new Set<number>([0, ...Object.values(map).map(targetValueOf)]);
  return [...values].sort((a, b) => a - b);
}

/** An all-zero matrix whose rows are the reference classes a map produces. */
export function emptyConfusion(map?: ValueMap): ConfusionMatrix {
  const rows = truthRowValues(map);
  return { truth: rows.map((v) => TRUTH_CLASSES[v]), pred: [...PRED_CLASSES], counts: rows.map(() => new Array(PRED_CLASSES.length).fill(0)) };
}

/** Adds one case: `pred` holds labels 0–4, `truth` the mapped reference (values 0–5, see mapReference). Changes `m`. */
export function addToConfusion(m: ConfusionMatrix, pred: Uint8Array, truth: Uint8Array): ConfusionMatrix {
  if (pred.length !== truth.length) throw new InputError(`prediction has ${pred.length} voxels, the reference ${truth.length}`);
  const rowOf = new Int8Array(256).fill(-1);
  m.truth.forEach((name, r) => (rowOf[TRUTH_CLASSES.indexOf(name as (typeof TRUTH_CLASSES)[number])] = r));
  const ncol = m.pred.length;
  const flat = new Float64Array(m.truth.length * ncol);
  for (let i = 0; i < pred.length; i++) {
    const r = rowOf[truth[i]];
    if (r < 0) throw new InputError(`reference value ${truth[i]} at voxel ${i} is not a row of the confusion matrix (${m.truth.join(', ')})`);
    if (pred[i] >= ncol) throw new InputError(`predicted label ${pred[i]} at voxel ${i} is outside 0–${ncol - 1}`);
    flat[r * ncol + pred[i]]++;
  }
  for (let r = 0; r < m.truth.length; r++) for (let c = 0; c < ncol; c++) m.counts[r][c] += flat[r * ncol + c];
  return m;
}

/** Row percentages (each row sums to 100; null for an empty row). */
export function confusionRowPct(m: ConfusionMatrix): (number | null)[][] {
  return m.counts.map((row) => {
    const n = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (n ? (100 * v) / n : null));
  });
}
