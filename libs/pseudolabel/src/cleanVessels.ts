import type { Connectivity } from './config.js';
import { LABEL } from '@covseg/io';
import { openLabel } from './cleanGgo.js';

/**
 * Vessels are thin tubes: vessel-cluster voxels that survive an opening thicker than a vessel are a dense
 * opacity the vessel cluster caught (bright and curved at its rim), and become consolidation.
 * Returns the number of voxels reassigned; `labels` is changed in place. Radius 0 = off.
 */
export function reassignThickVessels(labels: Uint8Array, shape: [number, number, number], opening: { connectivity: Connectivity; radius: number }): number {
  if (opening.radius <= 0) return 0;
  const thick = openLabel(labels, LABEL.vessels, shape, opening).kept;
  let moved = 0;
  for (let i = 0; i < labels.length; i++) if (thick[i]) (labels[i] = LABEL.consolidation), moved++;
  return moved;
}
