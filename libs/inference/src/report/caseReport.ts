import type { LabelVolume } from '@covseg/io';
import { largestLesions, type LesionComponent } from './lesions.js';
import { volumeSummary, type VolumesL } from '@covseg/evaluate';

/** report.json of one case (keys of docs/run-layout.md: volumes_l, ratios_pct, lesions, model, input). */
export interface CaseReport {
  case: string;
  volumes_l: VolumesL;
  ratios_pct: { VRall: number; VRggo: number; VRcs: number };
  /** Largest lesion (2 ∪ 3) components, largest first. */
  lesions: LesionComponent[];
  /** Voxels per label value 0..4. */
  label_counts: number[];
  model: { name: string; engine: string; path: string; sha256: string };
  input: { path: string; sha256: string; shape: [number, number, number]; spacing_mm: [number, number, number] };
  timings: { read_s: number; inference_s: number; processing_s: number; write_s: number; total_s: number; seconds_per_slice: number };
  /** Mean max-probability per slice (confidence of the engine). */
  slice_confidence_mean: number;
}

/** Assembles a case report from its label volume and provenance. */
export function caseReport(
  caseId: string,
  labels: LabelVolume,
  model: CaseReport['model'],
  input: { path: string; sha256: string },
  timings: CaseReport['timings'],
  opts: { largestLesions: number; connectivity: 6 | 26; sliceConfidence: Float32Array },
): CaseReport {
  const v = volumeSummary(labels);
  const conf = opts.sliceConfidence.length ? opts.sliceConfidence.reduce((a, b) => a + b, 0) / opts.sliceConfidence.length : 0;
  return {
    case: caseId,
    volumes_l: v.volumes_l,
    ratios_pct: v.ratios_pct,
    lesions: largestLesions(labels, opts.largestLesions, opts.connectivity),
    label_counts: v.counts,
    model,
    input: { ...input, shape: [...labels.shape], spacing_mm: [...labels.spacing] },
    timings,
    slice_confidence_mean: conf,
  };
}
