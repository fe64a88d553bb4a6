import { voxelVolumeMm3, LABEL } from '@covseg/io';
import type { PseudolabelConfig } from './config.js';
import { connectedComponents } from '@covseg/features';
import { open } from './morphology.js';
import { structuringElementFor } from './structuringElement.js';

export type CleaningConfig = PseudolabelConfig['cleaning'];

export interface CleaningResult {
  /** The label volume with small consolidations reassigned (a new array). */
  labels: Uint8Array;
  /** Consolidation components removed by the size filter. */
  removedComponents: number;
  /** Consolidation voxels reassigned (opening + size filter). */
  removedVoxels: number;
  /** Consolidation components kept. */
  keptComponents: number;
}

const REASSIGN = { ggo: LABEL.ggo, lung: LABEL.lung } as const;

/**
 * Morphological cleaning of consolidation (label 3) in a label volume: optional opening with the
 * configured element, then every 3D component smaller than `minConsolidationMm3` is reassigned
 * (to GGO or lung). Larger components are left exactly as they are (apart from the opening).
 */
export function cleanConsolidation(labels: Uint8Array, shape: [number, number, number], spacing: [number, number, number], cfg: CleaningConfig): CleaningResult {
  const out = Uint8Array.from(labels);
  const to = REASSIGN[cfg.reassignTo];
  let mask: Uint8Array = new Uint8Array(labels.length);
  let total = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === LABEL.consolidation) (mask[i] = 1), total++;
  if (total === 0) return { labels: out, removedComponents: 0, removedVoxels: 0, keptComponents: 0 };
  if (cfg.opening.radius > 0) mask = open(mask, shape, structuringElementFor(shape, cfg.opening.connectivity, cfg.opening.radius));
  const minVoxels = cfg.minConsolidationMm3 / voxelVolumeMm3(spacing);
  const cc = connectedComponents(shape, (i) => mask[i] === 1, cfg.componentConnectivity);
  const small = cc.sizes.map((s, c) => c > 0 && s < minVoxels);
  let removedVoxels = 0;
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== LABEL.consolidation) continue;
    if (!mask[i] || small[cc.ids[i]]) {
      out[i] = to;
      removedVoxels++;
    }
  }
  const removedComponents = small.filter(Boolean).length;
  return { labels: out, removedComponents, removedVoxels, keptComponents: cc.count - removedComponents };
}
