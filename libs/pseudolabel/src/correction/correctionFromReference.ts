import { isLesion, LABEL } from '@covseg/io';

/**
 * The correction a reader makes of a pseudo-label slice from a lesion-only reference (e.g. an expert's
 * GGO / consolidation mask, already in covseg label values): the reference's lesion is painted in
 * (inside or outside the lung mask), pseudo-label lesion the reference does not mark becomes lung, and
 * lung, vessels and background elsewhere stay as they were. Used by the label-budget study.
 */
export function correctionFromReference(pseudo: Uint8Array, reference: Uint8Array): Uint8Array {
  if (pseudo.length !== reference.length) throw new Error(`reference has ${reference.length} pixels, pseudo-label slice ${pseudo.length}`);
  const out = Uint8Array.from(pseudo);
  for (let i = 0; i < out.length; i++) {
    if (isLesion(reference[i])) out[i] = reference[i];
    else if (isLesion(out[i])) out[i] = LABEL.lung;
  }
  return out;
}
