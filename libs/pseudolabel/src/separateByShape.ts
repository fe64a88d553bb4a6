import { gaussianFilter, openByDisk, type Axis } from '@covseg/features';
import type { PseudolabelConfig } from './config.js';
import { LABEL } from '@covseg/io';

export type ShapeConfig = PseudolabelConfig['shape'];

/** Gaussian reach (σ) of the local background mean: a weighted mean needs no more. */
const BACKGROUND_TRUNCATE = 3;

/** What the shape step changed, in voxels. */
export interface ShapeStats {
  /** HU of aerated lung (median over the lung mask) and the half-maximum level it gave. */
  lungHu: number;
  denseMinHu: number;
  /** Dense-cluster voxels below the level (partial volume) that became GGO. */
  belowLevel: number;
  /** GGO voxels at or above the level beside a dense structure that joined it. */
  grown: number;
  /** Dense voxels labelled consolidation (a disk wider than a vessel fits) and vessels (the rest). */
  consolidation: number;
  vessels: number;
}

/** Median of an int16 volume over a mask (histogram; HU are integers). */
export function maskedMedianHu(hu: Int16Array, mask: Uint8Array): number {
  const hist = new Uint32Array(65536);
  let n = 0;
  for (let i = 0; i < hu.length; i++) if (mask[i]) hist[hu[i] + 32768]++, n++;
  if (n === 0) return NaN;
  for (let v = 0, seen = 0; v < hist.length; v++) if ((seen += hist[v]) * 2 >= n) return v - 32768;
  return NaN;
}

/** The planes whose disks test a structure's width: axial on a single slice; axial, coronal and sagittal in 3D. */
export function diskPlanes(shape: readonly [number, number, number], planes: ShapeConfig['planes']): Axis[][] {
  if (shape[0] === 1) return [[1, 2]];
  return planes === 'axial' ? [[1, 2]] : [[1, 2], [0, 2], [0, 1]];
}

/**
 * Splits the dense clusters (consolidation ∪ vessels) by partial volume and by shape, in place:
 * 1. a dense structure ends where its HU falls to the half-maximum between aerated lung (the lung
 *    mask's median HU) and `denseHu` (the truth boundary of a blurred object): dense-cluster voxels
 *    below that level become GGO, and GGO voxels at or above it within `partialVolumeVoxels` steps of a
 *    dense voxel join the structure (its blurred rim that K-means put with ground glass);
 * 2. a dense voxel covered by a disk of radius `maxVesselRadiusMm` lying wholly in the dense set, in
 *    any of the test planes, is consolidation; the rest is vessel: a tube of radius r holds no disk
 *    wider than r in any plane, a blob or plate does, whichever cluster K-means put it in.
 * `maxVesselRadiusMm` 0 turns the step off.
 */
export function separateByShape(labels: Uint8Array, hu: Int16Array, lungMask: Uint8Array, shape: [number, number, number], spacing: [number, number, number], cfg: ShapeConfig): ShapeStats {
  const lungHu = maskedMedianHu(hu, lungMask);
  const denseMinHu = lungHu + cfg.partialVolumeFraction * (cfg.denseHu - lungHu);
  const stats: ShapeStats = { lungHu, denseMinHu, belowLevel: 0, grown: 0, consolidation: 0, vessels: 0 };
  if (cfg.maxVesselRadiusMm <= 0 || Number.isNaN(lungHu)) return stats;
  const level = rimLevel(hu, lungMask, shape, spacing, denseMinHu, cfg);
  const isDense = (v: number) => v === LABEL.consolidation || v === LABEL.vessels;
  const dense = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    if (!isDense(labels[i])) continue;
    if (hu[i] >= level[i]) dense[i] = 1;
    else (labels[i] = LABEL.ggo), stats.belowLevel++;
  }
  stats.grown = growIntoRim(dense, labels, hu, shape, level, cfg.partialVolumeVoxels);
  const thick = new Uint8Array(labels.length);
  for (const axes of diskPlanes(shape, cfg.planes)) {
    const t = openByDisk(dense, shape, spacing, cfg.maxVesselRadiusMm, axes);
    for (let i = 0; i < t.length; i++) thick[i] |= t[i];
  }
  for (let i = 0; i < labels.length; i++) {
    if (!dense[i]) continue;
    if (thick[i]) (labels[i] = LABEL.consolidation), stats.consolidation++;
    else (labels[i] = LABEL.vessels), stats.vessels++;
  }
  return stats;
}

/**
 * Per voxel, the HU where a dense structure ends: the half-maximum (`partialVolumeFraction`) between
 * `denseHu` and the local background — the Gaussian-weighted mean (σ `backgroundSigmaMm`, in-plane on a
 * single slice) of the lung voxels below the global level — and never below the global level. In
 * ground glass the background is higher, so a vessel's rim there ends at a higher HU and dense ground
 * glass is not taken for a vessel rim.
 */
export function rimLevel(hu: Int16Array, lungMask: Uint8Array, shape: [number, number, number], spacing: [number, number, number], globalLevel: number, cfg: ShapeConfig): Float32Array {
  const level = new Float32Array(hu.length).fill(globalLevel);
  if (cfg.backgroundSigmaMm <= 0) return level;
  const weight = new Float32Array(hu.length);
  const value = new Float32Array(hu.length);
  for (let i = 0; i < hu.length; i++) if (lungMask[i] && hu[i] < globalLevel) (weight[i] = 1), (value[i] = hu[i]);
  const sigma: [number, number, number] = [shape[0] === 1 ? 0 : cfg.backgroundSigmaMm / spacing[0], cfg.backgroundSigmaMm / spacing[1], cfg.backgroundSigmaMm / spacing[2]];
  const opts = { mode: 'constant' as const, cval: 0, truncate: BACKGROUND_TRUNCATE };
  gaussianFilter(weight, shape, sigma, opts, weight);
  gaussianFilter(value, shape, sigma, opts, value);
  const f = cfg.partialVolumeFraction;
  for (let i = 0; i < hu.length; i++) {
    if (weight[i] <= 1e-3) continue;
    const local = value[i] / weight[i] + f * (cfg.denseHu - value[i] / weight[i]);
    if (local > globalLevel) level[i] = local;
  }
  return level;
}

/** Geodesic growth of `dense` into GGO voxels with HU ≥ their level, `steps` face-neighbour steps (in-plane on one slice); returns voxels added. */
function growIntoRim(dense: Uint8Array, labels: Uint8Array, hu: Int16Array, shape: [number, number, number], level: Float32Array, steps: number): number {
  const [nz, ny, nx] = shape;
  const plane = ny * nx;
  let added = 0;
  for (let s = 0; s < steps; s++) {
    const next: number[] = [];
    for (let z = 0, i = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, i++) {
          if (dense[i] || labels[i] !== LABEL.ggo || hu[i] < level[i]) continue;
          if ((x > 0 && dense[i - 1]) || (x < nx - 1 && dense[i + 1]) || (y > 0 && dense[i - nx]) || (y < ny - 1 && dense[i + nx]) || (z > 0 && dense[i - plane]) || (z < nz - 1 && dense[i + plane])) next.push(i);
        }
    if (next.length === 0) break;
    for (const i of next) dense[i] = 1;
    added += next.length;
  }
  return added;
}
