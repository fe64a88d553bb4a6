import { createRng } from '@covseg/io';
import { allocateQuota } from './allocateQuota.js';
import { sampleIndices } from './sampleIndices.js';

/** A case's per-slice lung pixel counts (labels 1–4), z = 0..nz−1. */
export interface CaseSlices {
  caseId: string;
  lungPixels: readonly number[];
}

export interface SliceDraw {
  caseId: string;
  /** Chosen slice indices, increasing. */
  slices: number[];
}

/**
 * Random slices for the shard store: `total` slices over the cohort, split as evenly as possible
 * between cases (a long scan does not dominate), among slices with at least `minLungPixels` lung
 * pixels; seeded per case, so a case's draw does not depend on the order of the others.
 */
export function sampleSlices(cases: readonly CaseSlices[], total: number, minLungPixels: number, seed: number): SliceDraw[] {
  const eligible = cases.map((c) => c.lungPixels.flatMap((p, z) => (p >= Math.max(1, minLungPixels) ? [z] : [])));
  const quota = allocateQuota(eligible.map((e) => e.length), total);
  return cases.map((c, i) => {
    const picked = sampleIndices(eligible[i].length, quota[i], createRng(`slices:${seed}:${c.caseId}`));
    return { caseId: c.caseId, slices: Array.from(picked, (j) => eligible[i][j]) };
  });
}
