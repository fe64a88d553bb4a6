import { describe, expect, it } from 'vitest';
import type { CohortCase } from '@covseg/io';
import { splitCohort } from './ingestStage.js';

const cohort = (n: number): CohortCase[] => Array.from({ length: n }, (_, i) => ({ id: `case-${i}`, source: `s${i}`, label: `l${i}.nii.gz`, status: 'ok' }) as CohortCase);

describe('splitCohort', () => {
  it('holds out the last n labelled cases by default', () => {
    expect(splitCohort(cohort(6), 2)).toEqual({ train: ['case-0', 'case-1', 'case-2', 'case-3'], heldOut: ['case-4', 'case-5'] });
  });

  it('swaps the latest lesion-free case in for the front-most held-out lesion case', () => {
    const s = splitCohort(cohort(8), 3, new Set(['case-1', 'case-2']), 1);
    expect(s.heldOut).toEqual(['case-2', 'case-6', 'case-7']);
    expect(s.train).toEqual(['case-0', 'case-1', 'case-3', 'case-4', 'case-5']);
  });

  it('keeps a lesion-free case already held out and stops when the cohort has too few', () => {
    expect(splitCohort(cohort(5), 2, new Set(['case-4']), 1).heldOut).toEqual(['case-3', 'case-4']);
    expect(splitCohort(cohort(5), 2, new Set(['case-0']), 2).heldOut).toEqual(['case-0', 'case-4']);
  });
});
