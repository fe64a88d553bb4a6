import { voxelVolumeMm3, type LabelVolume } from '@covseg/io';

/** mm³ per litre. */
const MM3_PER_L = 1e6;

/** Voxels per label value 0..4 (values ≥ 5 are not counted). */
export function labelCounts(labels: Uint8Array): number[] {
  const c = [0, 0, 0, 0, 0];
  for (let i = 0; i < labels.length; i++) if (labels[i] < 5) c[labels[i]]++;
  return c;
}

/** Volumes in litres: lung = 1 ∪ 2 ∪ 3 ∪ 4, and each of GGO, consolidation, vessels. */
export interface VolumesL {
  lung: number;
  ggo: number;
  consolidation: number;
  vessels: number;
}

/** Litres of each class: voxel count × voxel volume (mm³) / 10⁶. */
export function volumesLitres(counts: readonly number[], spacing: readonly [number, number, number]): VolumesL {
  const l = (n: number) => (n * voxelVolumeMm3(spacing)) / MM3_PER_L;
  return { lung: l(counts[1] + counts[2] + counts[3] + counts[4]), ggo: l(counts[2]), consolidation: l(counts[3]), vessels: l(counts[4]) };
}

/** The paper's ratios in % of lung volume: VRall = (GGO ∪ consolidation) / lung, VRggo, VRcs (0 when there is no lung). */
export function volumeRatiosPct(counts: readonly number[]): { VRall: number; VRggo: number; VRcs: number } {
  const lung = counts[1] + counts[2] + counts[3] + counts[4];
  const pct = (n: number) => (lung ? (100 * n) / lung : 0);
  return { VRall: pct(counts[2] + counts[3]), VRggo: pct(counts[2]), VRcs: pct(counts[3]) };
}

/** Label counts, litres and ratios of a label volume. */
export function volumeSummary(labels: LabelVolume) {
  const counts = labelCounts(labels.data);
  return { counts, volumes_l: volumesLitres(counts, labels.spacing), ratios_pct: volumeRatiosPct(counts) };
}
