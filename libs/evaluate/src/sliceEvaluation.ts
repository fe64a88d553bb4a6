import { isLesion, type LabelVolume } from '@covseg/io';
import { labelCounts, volumeRatiosPct } from './volumes.js';
import { rocAuc, sensitivitySpecificity } from './rocAuc.js';
import { LOBES, sideOfLobe, type Lobe, type SliceLabel } from './sliceLabels.js';

/** Lesion label values of covseg's label maps: 2 GGO, 3 consolidation. */

/** One predicted slice paired with its radiologist label. */
export interface ScoredSlice {
  /** Slice index z in the label volume. */
  z: number;
  locationMm: number;
  /** Predicted lesion (GGO ∪ consolidation) area on the slice, mm²; and on each lung side. */
  lesionMm2: number;
  leftMm2: number;
  rightMm2: number;
  label: SliceLabel;
}

/** AUC, and sensitivity / specificity at the area threshold, of one binary slice target. */
export interface SliceScores {
  positives: number;
  negatives: number;
  auc: number | null;
  sensitivity: number | null;
  specificity: number | null;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface SliceEvaluation {
  thresholdMm2: number;
  /** Labelled slices paired with a predicted slice / predicted slices with no label within maxOffsetMm / labelled slices left unpaired. */
  paired: number;
  unpairedPredicted: number;
  unpairedLabels: number;
  /** Any infection on the slice. */
  infection: SliceScores;
  /** Per lobe (where the CSV has lobe columns), scored by the lesion area on that lobe's lung side (no lobe segmentation). */
  lobes: Partial<Record<Lobe, SliceScores>>;
  /** True when no labelled slice is infected (a normal scan). */
  normal: boolean;
  /** Lesion % of lung (GGO ∪ consolidation over labels 1–4) of the whole prediction. */
  VRall: number;
  slices: ScoredSlice[];
}

/** Position of each slice z along the patient's S axis (LPS z of the slice's first voxel), mm. */
export function slicePositionsMm(v: Pick<LabelVolume, 'shape' | 'spacing' | 'origin' | 'direction'>): number[] {
  return Array.from({ length: v.shape[0] }, (_, z) => v.origin[2] + v.direction[8] * z * v.spacing[0]);
}

/**
 * The patient-x (LPS: + = patient's left) position splitting the lungs: the middle of the lung voxels' (labels 1–4)
 * x extent over the whole volume; NaN without lung.
 */
function lungMidlineX(v: LabelVolume): number {
  const [nz, ny, nx] = v.shape;
  const [sz, sy, sx] = v.spacing;
  const d = v.direction;
  let lo = Infinity, hi = -Infinity;
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++)
        if (v.data[i] >= 1 && v.data[i] <= 4) {
          const px = v.origin[0] + d[0] * x * sx + d[1] * y * sy + d[2] * z * sz;
          if (px < lo) lo = px;
          if (px > hi) hi = px;
        }
  return (lo + hi) / 2;
}

/** AUC of `values` against binary `labels`, and sensitivity / specificity of `value > threshold`. */
export function sliceScores(values: readonly number[], labels: readonly (0 | 1)[], threshold: number): SliceScores {
  const positives = labels.filter((l) => l).length;
  return { positives, negatives: labels.length - positives, auc: rocAuc(values, labels), ...sensitivitySpecificity(values, labels, threshold) };
}

/**
 * Slice-level agreement of a predicted label map with radiologists' per-slice labels: each predicted slice pairs
 * with the labelled slice nearest in position when within `maxOffsetMm`; its predicted lesion area (mm²) is its
 * score. AUC, and sensitivity / specificity of "area > thresholdMm2", for any infection and per lobe.
 */
export function evaluateSlices(pred: LabelVolume, labels: readonly SliceLabel[], cfg: { lesionAreaThresholdMm2: number; maxOffsetMm: number }): SliceEvaluation {
  const [nz, ny, nx] = pred.shape;
  const [sz, sy, sx] = pred.spacing;
  const d = pred.direction;
  const pixelMm2 = sy * sx;
  const midline = lungMidlineX(pred);
  const positions = slicePositionsMm(pred);
  const used = new Set<number>();
  const slices: ScoredSlice[] = [];
  let unpairedPredicted = 0;
  for (let z = 0; z < nz; z++) {
    let best = -1;
    for (let k = 0; k < labels.length; k++)
      if (best < 0 || Math.abs(labels[k].locationMm - positions[z]) < Math.abs(labels[best].locationMm - positions[z])) best = k;
    if (best < 0 || Math.abs(labels[best].locationMm - positions[z]) > cfg.maxOffsetMm || used.has(best)) {
      unpairedPredicted++;
      continue;
    }
    used.add(best);
    let left = 0, right = 0;
    for (let y = 0, i = z * ny * nx; y < ny; y++)
      for (let x = 0; x < nx; x++, i++)
        if (isLesion(pred.data[i])) {
          const px = pred.origin[0] + d[0] * x * sx + d[1] * y * sy + d[2] * z * sz;
          px > midline ? left++ : right++;
        }
    slices.push({ z, locationMm: positions[z], lesionMm2: (left + right) * pixelMm2, leftMm2: left * pixelMm2, rightMm2: right * pixelMm2, label: labels[best] });
  }
  const t = cfg.lesionAreaThresholdMm2;
  const lobes: Partial<Record<Lobe, SliceScores>> = {};
  for (const lobe of LOBES) {
    if (!slices.length || slices[0].label.lobes[lobe] === undefined) continue;
    const side = sideOfLobe(lobe) === 'left' ? 'leftMm2' : 'rightMm2';
    lobes[lobe] = sliceScores(slices.map((s) => s[side]), slices.map((s) => s.label.lobes[lobe]!), t);
  }
  return {
    thresholdMm2: t,
    paired: slices.length,
    unpairedPredicted,
    unpairedLabels: labels.length - used.size,
    infection: sliceScores(slices.map((s) => s.lesionMm2), slices.map((s) => s.label.infection), t),
    lobes,
    normal: labels.every((l) => !l.infection),
    VRall: volumeRatiosPct(labelCounts(pred.data)).VRall,
    slices,
  };
}
