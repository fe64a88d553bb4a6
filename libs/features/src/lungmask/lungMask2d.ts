import { InputError, geometryOf, type LabelVolume, type Volume } from '@covseg/io';
import type { LungmaskConfig } from '../config.js';
import { gaussianFilter } from '../gaussian.js';
import { labelComponents, labelsBySize, labelsTouchingInPlaneBorder } from './components.js';
import { closeDisk2d, fillHoles2d } from './slice2d.js';
import { convexHullMask2d } from './convexHull2d.js';
import { fillPleuralBays } from './pleuralBays.js';
import type { LungMaskInfo } from './lungMask.js';

/**
 * The body of one slice: tissue components (≥ air threshold) of at least `minFraction` of the largest one, and
 * those that reach the image edge — a crop cuts the body into pieces where lungs reach the edge.
 */
function bodyTissue(smoothed: Float32Array, ny: number, nx: number, cfg: LungmaskConfig): Uint8Array {
  const tissue = new Uint8Array(ny * nx);
  for (let i = 0; i < tissue.length; i++) if (smoothed[i] >= cfg.airThresholdHu) tissue[i] = 1;
  const cc = labelComponents(tissue, [1, ny, nx], true);
  const order = labelsBySize(cc);
  if (!order.length) return tissue;
  const atEdge = labelsTouchingInPlaneBorder(cc.ids, [1, ny, nx]);
  const keep = new Set(order.filter((l) => cc.sizes[l] >= cfg.slice2d.bodyMinFraction * cc.sizes[order[0]] || atEdge.has(l)));
  for (let i = 0; i < tissue.length; i++) tissue[i] = keep.has(cc.ids[i]) ? 1 : 0;
  return tissue;
}

/**
 * Crop-tolerant lung mask of one axial slice (shape [1, ny, nx]; 1 = lung). Lungs may touch the image edge
 * (cropped images), so outside air is told apart by position, not by edge contact: an air region counts as
 * lung when most of it lies inside the convex hull of the body tissue. Keeps the two largest such regions of
 * at least `slice2d.minLungAreaMm2` (drops trachea and bronchi by size), adds smaller such regions (pieces of a
 * lung that consolidation cuts apart) to the nearer of the two, then fills holes and closes with a
 * disk per lung, and puts back the pleural bays of subpleural consolidations (`pleuralBays`). Throws InputError when the slice has no air or no lung-sized region.
 */
export function lungMask2d(volume: Volume, cfg: LungmaskConfig, info?: Partial<LungMaskInfo>): LabelVolume {
  const [nz, ny, nx] = volume.shape;
  if (nz !== 1) throw new InputError(`lungMask2d needs one slice, got ${nz}`);
  const [, sy, sx] = volume.spacing;
  const n = ny * nx;
  const hu = Float32Array.from(volume.data);
  const smoothed = cfg.smoothSigmaMm > 0 ? gaussianFilter(hu, volume.shape, [0, cfg.smoothSigmaMm / sy, cfg.smoothSigmaMm / sx], { mode: 'nearest', truncate: 4 }) : hu;

  const air = new Uint8Array(n);
  let airCount = 0;
  for (let i = 0; i < n; i++) if (smoothed[i] < cfg.airThresholdHu) (air[i] = 1), airCount++;
  if (airCount === 0) throw new InputError(`no pixel below ${cfg.airThresholdHu} HU: no air, so no lungs (is this a chest CT slice in HU?)`);
  const hull = convexHullMask2d(bodyTissue(smoothed, ny, nx, cfg), ny, nx);

  const cc = labelComponents(air, volume.shape, true);
  const inside = new Float64Array(cc.count + 1);
  for (let i = 0; i < n; i++) if (cc.ids[i] && hull[i]) inside[cc.ids[i]]++;
  const minPixels = cfg.slice2d.minLungAreaMm2 / (sy * sx);
  const lungLike = labelsBySize(cc).filter((l) => inside[l] >= minPixels && inside[l] >= (1 - cfg.slice2d.maxOutsideBodyFraction) * cc.sizes[l]);
  if (!lungLike.length) throw new InputError(`no lungs found: no air region of at least ${cfg.slice2d.minLungAreaMm2} mm² below ${cfg.airThresholdHu} HU inside the body`);
  const keep = lungLike.slice(0, 2).filter((l, k) => k === 0 || inside[l] >= cfg.secondLungMinFraction * inside[lungLike[0]]);

  const out = new Uint8Array(n);
  // the other lung-sized air regions are pieces of a lung that consolidation cuts apart: each joins the nearer
  // lung; the two lungs are the largest region and the one farthest from it, then sides are settled by a
  // size-weighted 2-means on the regions' centres (pieces of one lung lie closer together than the two lungs)
  const centre = (l: number) => [(cc.sums[l][1] / cc.sizes[l]) * sy, (cc.sums[l][2] / cc.sizes[l]) * sx];
  const side = new Map<number, number>([[keep[0], 0]]);
  if (keep.length === 2) {
    const c0 = centre(keep[0]);
    const far = lungLike.slice(1).reduce((a, l) => (Math.hypot(centre(l)[0] - c0[0], centre(l)[1] - c0[1]) > Math.hypot(centre(a)[0] - c0[0], centre(a)[1] - c0[1]) ? l : a));
    let seeds = [c0, centre(far)];
    for (let iter = 0; iter < lungLike.length + 1; iter++) {
      for (const l of lungLike) {
        const c = centre(l);
        side.set(l, Math.hypot(c[0] - seeds[0][0], c[1] - seeds[0][1]) <= Math.hypot(c[0] - seeds[1][0], c[1] - seeds[1][1]) ? 0 : 1);
      }
      seeds = [0, 1].map((k) => {
        let w = 0, y = 0, x = 0;
        for (const l of lungLike) if (side.get(l) === k) (w += cc.sizes[l]), (y += centre(l)[0] * cc.sizes[l]), (x += centre(l)[1] * cc.sizes[l]);
        return w ? [y / w, x / w] : seeds[k];
      });
    }
  } else for (const l of lungLike) side.set(l, 0);
  const parts = keep.map((_, k) => {
    const one = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (cc.ids[i] && side.get(cc.ids[i]) === k) one[i] = 1;
    if (cfg.fillHoles) fillHoles2d(one, ny, nx);
    closeDisk2d(one, ny, nx, sy, sx, cfg.closingRadiusMm);
    if (cfg.fillHoles) fillHoles2d(one, ny, nx);
    return one;
  });
  fillPleuralBays({ lungs: parts, ny, nx, sy, sx, offset: 0, body: hull }, cfg.pleuralBays);
  // a lung's own air counts wherever it is (a crop may leave part of it beyond the tissue's hull); what the
  // closing and the bays add stays inside the body
  const own = new Set(side.keys());
  for (const one of parts) for (let i = 0; i < n; i++) if (one[i] && (hull[i] || own.has(cc.ids[i]))) out[i] = 1;
  let count = 0;
  for (let i = 0; i < n; i++) count += out[i];
  if (info) Object.assign(info, { lungs: keep.length, lungVolumeMl: (count * volume.spacing[0] * sy * sx) / 1000, airwayVolumeMl: 0, tracheaFound: false });
  return { ...geometryOf(volume), data: out };
}
