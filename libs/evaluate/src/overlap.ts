import type { EvaluateConfig, MapTarget } from './config.js';

/** Classes `evaluate` reports (summary.json keys, docs/run-layout.md); lesion = GGO ∪ consolidation. */
export const EVAL_CLASSES = ['lung', 'ggo', 'consolidation', 'vessels', 'lesion'] as const;
export type EvalClass = (typeof EVAL_CLASSES)[number];

/** Reference value meaning "lesion, class unknown" after a map (outside the 0–4 label values). */
export const LESION_ANY = 5;
const TARGET_VALUE: Record<MapTarget, number> = { background: 0, lung: 1, ggo: 2, consolidation: 3, vessels: 4, lesion: LESION_ANY };
/** The mapped reference value a map target becomes (0–4 as covseg's labels, lesion → LESION_ANY). */
export const targetValueOf = (t: MapTarget): number => TARGET_VALUE[t];
const MEMBERS: Record<EvalClass, number[]> = { lung: [1], ggo: [2], consolidation: [3], vessels: [4], lesion: [2, 3, LESION_ANY] };

/** Overlap scores of one class in one case. */
export interface ClassScores {
  /** 2|P∩T| / (|P| + |T|); null when both are empty and emptyBoth = 'skip'. */
  dice: number | null;
  /** |P∩T| / |P∪T|; same empty convention. */
  iou: number | null;
  /** Sensitivity |P∩T| / |T|; null when the reference is empty. */
  sensitivity: number | null;
  /** Specificity |¬P∩¬T| / |¬T| over the whole image/volume (as COVID-SemiSeg scores); null when ¬T is empty. */
  specificity: number | null;
  volume_pred_ml: number;
  volume_truth_ml: number;
  /** Prediction − reference, mL. */
  volume_error_ml: number;
  /** Voxel counts |P∩T|, |P|, |T|: what pooled (all-voxel) scores over many cases add up. */
  voxels: { both: number; pred: number; truth: number };
  /** 100 · (P − T) / T; null when the reference is empty. */
  volume_error_pct: number | null;
}

/** A reference value map: value → class (unmapped → background); identity when absent. */
export type ValueMap = Record<string, MapTarget>;

/** Applies a value map to reference labels (identity for values 0–4 without a map; other values → background). */
export function mapReference(truth: Uint8Array, map?: ValueMap): Uint8Array {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = map ? (map[String(v)] !== undefined ? TARGET_VALUE[map[String(v)]] : 0) : v < 5 ? v : 0;
  return truth.map((v) => lut[v]);
}

/** Classes a map lets us score: its targets (minus background), plus lesion whenever a lesion class is present. */
export function classesOfMap(map?: ValueMap): EvalClass[] {
  if (!map) return [...EVAL_CLASSES];
  const t = new Set(Object.values(map));
  return EVAL_CLASSES.filter((c) => (c === 'lesion' ? t.has('ggo') || t.has('consolidation') || t.has('lesion') : t.has(c)));
}

/** Dice, IoU and volume error of the given classes; `truth` already mapped; voxel volume in mm³. */
export function overlapScores(pred: Uint8Array, truth: Uint8Array, classes: readonly EvalClass[], voxelMm3: number, emptyBoth: EvaluateConfig['emptyBoth']): Partial<Record<EvalClass, ClassScores>> {
  const out: Partial<Record<EvalClass, ClassScores>> = {};
  for (const c of classes) {
    const inSet = new Uint8Array(256);
    for (const v of MEMBERS[c]) inSet[v] = 1;
    let tp = 0, p = 0, t = 0;
    for (let i = 0; i < pred.length; i++) {
      const a = inSet[pred[i]], b = inSet[truth[i]];
      p += a;
      t += b;
      tp += a & b;
    }
    const empty = p + t === 0;
    const ml = (n: number) => (n * voxelMm3) / 1000;
    out[c] = {
      dice: empty ? (emptyBoth === 'one' ? 1 : null) : (2 * tp) / (p + t),
      iou: empty ? (emptyBoth === 'one' ? 1 : null) : tp / (p + t - tp),
      sensitivity: t ? tp / t : null,
      specificity: pred.length > t ? (pred.length - t - (p - tp)) / (pred.length - t) : null,
      volume_pred_ml: ml(p),
      volume_truth_ml: ml(t),
      volume_error_ml: ml(p - t),
      volume_error_pct: t ? (100 * (p - t)) / t : null,
      voxels: { both: tp, pred: p, truth: t },
    };
  }
  return out;
}

/** Mean and sample standard deviation (n − 1; 0 for one value) of the non-null values. */
export function meanSd(values: readonly (number | null)[]): { mean: number | null; sd: number | null; n: number } {
  const v = values.filter((x): x is number => x !== null);
  if (!v.length) return { mean: null, sd: null, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, sd, n: v.length };
}

/** Dice over all voxels of many cases together (2 Σ|P∩T| / (Σ|P| + Σ|T|)); null when every case is empty. */
export function pooledDice(cases: readonly (ClassScores | undefined)[]): number | null {
  let both = 0, sum = 0;
  for (const c of cases) if (c) (both += c.voxels.both), (sum += c.voxels.pred + c.voxels.truth);
  return sum ? (2 * both) / sum : null;
}
