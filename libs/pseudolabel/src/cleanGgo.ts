import type { Connectivity } from './config.js';
import { LABEL } from '@covseg/io';
import { open } from './morphology.js';
import { structuringElementFor } from './structuringElement.js';

/** The voxels of one label value and what of them survives an opening (element in-plane on a single slice). */
export function openLabel(labels: Uint8Array, value: number, shape: [number, number, number], opening: { connectivity: Connectivity; radius: number }): { mask: Uint8Array; kept: Uint8Array } {
  const mask = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) if (labels[i] === value) mask[i] = 1;
  return { mask, kept: open(mask, shape, structuringElementFor(shape, opening.connectivity, opening.radius)) };
}

/**
 * Opening of ground-glass (label 2): GGO voxels outside the opened mask become healthy lung (1).
 * Partial volume around vessels puts a 1–2 voxel shell of lung above the candidate threshold that
 * K-means calls GGO; a real ground-glass opacity is thicker than the element and survives.
 * Returns the number of voxels reassigned; `labels` is changed in place.
 */
export function openGroundGlass(labels: Uint8Array, shape: [number, number, number], opening: { connectivity: Connectivity; radius: number }): number {
  if (opening.radius <= 0) return 0;
  const { mask, kept } = openLabel(labels, LABEL.ggo, shape, opening);
  let removed = 0;
  for (let i = 0; i < labels.length; i++) {
    if (mask[i] && !kept[i]) {
      labels[i] = LABEL.lung;
      removed++;
    }
  }
  return removed;
}
