import { LABEL, type LabelVolume } from '@covseg/io';
import { connectedComponents } from '@covseg/features';
import type { PredictConfig } from './config.js';


/** Lung-mask rule in place: outside the mask → 0; inside and predicted background → 1 (each switchable). */
export function applyLungMask(labels: Uint8Array, lungMask: Uint8Array, cfg: Pick<PredictConfig['postprocess'], 'maskOutsideLung' | 'fillLungBackground'>): void {
  for (let i = 0; i < labels.length; i++) {
    if (!lungMask[i]) {
      if (cfg.maskOutsideLung) labels[i] = LABEL.background;
    } else if (cfg.fillLungBackground && labels[i] === LABEL.background) labels[i] = LABEL.lung;
  }
}

/** Keeps only the largest 3D component of label `value` in place; voxels of other components become lung. */
export function keepLargestComponent(labels: LabelVolume, value: number, connectivity: 6 | 26): number {
  const cc = connectedComponents(labels.shape, (i) => labels.data[i] === value, connectivity);
  if (cc.count <= 1) return 0;
  let best = 1;
  for (let c = 2; c <= cc.count; c++) if (cc.sizes[c] > cc.sizes[best]) best = c;
  let removed = 0;
  for (let i = 0; i < labels.data.length; i++) {
    if (cc.ids[i] && cc.ids[i] !== best) {
      labels.data[i] = LABEL.lung;
      removed++;
    }
  }
  return removed;
}
