import { type SliceEntry, type Rng } from '@covseg/io';

/**
 * The training ids with every slice flagged `corrected` (import-corrections) repeated: ⌊factor⌋
 * times, plus once more with probability factor − ⌊factor⌋, so corrected slices are drawn `factor`
 * times as often as the others on average. Returns `ids` itself (and draws nothing from `rng`) when
 * no slice is corrected or factor is 1, so runs without corrections keep their exact order.
 */
export function oversampleCorrected(slices: readonly SliceEntry[], ids: readonly number[], factor: number, rng: Rng): readonly number[] {
  if (factor === 1 || !ids.some((i) => slices[i].corrected)) return ids;
  const whole = Math.floor(factor), extra = factor - whole;
  const out: number[] = [];
  for (const i of ids) {
    if (!slices[i].corrected) {
      out.push(i);
      continue;
    }
    const copies = whole + (extra > 0 && rng.chance(extra) ? 1 : 0);
    for (let k = 0; k < copies; k++) out.push(i);
  }
  return out;
}
