import { InputError, geometryOf, type LabelVolume, type Volume } from '@covseg/io';
import type { LungmaskConfig } from '../config.js';
import { gaussianFilter } from '../gaussian.js';
import { squaredDistanceToBackground } from '../distanceTransform.js';
import { labelComponents, labelsBySize, labelsTouchingInPlaneBorder } from './components.js';
import { dilateMm, findTracheaSeed, growAirways } from './airways.js';
import { closeDisk2d, fillHoles2d } from './slice2d.js';
import { splitMergedLungs } from './splitLungs.js';
import { lungMask2d } from './lungMask2d.js';
import { fillPleuralBays } from './pleuralBays.js';
import { bridgeSlices } from './bridgeSlices.js';

/** What the lung mask found (for logs and tests). */
export interface LungMaskInfo {
  lungs: number;
  lungVolumeMl: number;
  airwayVolumeMl: number;
  tracheaFound: boolean;
}

/**
 * Classical 3-D lung mask (1 = lung): threshold air, drop air connected to the in-plane image border, remove the
 * trachea and main bronchi, keep the two largest components (one when merged), then per lung and per slice (feet
 * first) fill the holes that rest on lung in the slice below and close with a disk so vessels and small pleural
 * consolidations stay inside (a diaphragm dome's top, ringed by lung, does not), put back the
 * pleural bays of larger subpleural consolidations (`pleuralBays`) and bridge lesions a few slices tall
 * between lung above and below (`bridgeSlicesMm`); bounded by the body.
 * Throws InputError when the volume has no air or no lung-sized enclosed air. A single slice gets the
 * crop-tolerant `lungMask2d`.
 */
export function lungMask(volume: Volume, cfg: LungmaskConfig, info?: Partial<LungMaskInfo>): LabelVolume {
  if (volume.shape[0] === 1) return lungMask2d(volume, cfg, info);
  const [nz, ny, nx] = volume.shape;
  const plane = ny * nx;
  const n = volume.data.length;
  const [sz, sy, sx] = volume.spacing;
  const voxelMl = (sz * sy * sx) / 1000;
  const hu = Float32Array.from(volume.data);
  const smoothed = cfg.smoothSigmaMm > 0 ? gaussianFilter(hu, volume.shape, [cfg.smoothSigmaMm / sz, cfg.smoothSigmaMm / sy, cfg.smoothSigmaMm / sx], { mode: 'nearest', truncate: 4 }) : hu;

  const air = new Uint8Array(n);
  let airCount = 0;
  for (let i = 0; i < n; i++) if (smoothed[i] < cfg.airThresholdHu) (air[i] = 1), airCount++;
  if (airCount === 0) throw new InputError(`no voxel below ${cfg.airThresholdHu} HU: no air, so no lungs (is this a chest CT in HU?)`);

  // air reaching the image edge in-plane is outside the body
  const airCc = labelComponents(air, volume.shape);
  const outsideLabels = labelsTouchingInPlaneBorder(airCc.ids, volume.shape);
  const enclosed = new Uint8Array(n);
  const body = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const l = airCc.ids[i];
    const outside = l !== 0 && outsideLabels.has(l);
    if (l && !outside) enclosed[i] = 1;
    if (!outside) body[i] = 1;
  }
  for (let z = 0; z < nz; z++) fillHoles2d(body, ny, nx, z * plane);

  // trachea + main bronchi
  const seed = findTracheaSeed(smoothed, enclosed, volume, cfg);
  const airway = seed ? growAirways(seed, smoothed, enclosed, volume, cfg) : new Uint8Array(n);
  let airwayCount = 0;
  for (let i = 0; i < n; i++) if (airway[i]) airwayCount++;
  // the lumen plus a margin separates the lungs from the airway wall's partial-volume shell
  const airwayCut = airway.slice();
  if (cfg.airwayMarginMm > 0 && seed) dilateMm(airwayCut, volume, cfg.airwayMarginMm);
  const candidates = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (enclosed[i] && !airwayCut[i]) candidates[i] = 1;
  const marginSteps = Math.max(0, ...volume.spacing.map((s) => Math.round(cfg.airwayMarginMm / s)));

  const cc = labelComponents(candidates, volume.shape);
  const minVoxels = cfg.minLungVolumeMl / voxelMl;
  const order = labelsBySize(cc).filter((l) => cc.sizes[l] >= minVoxels);
  if (!order.length) throw new InputError(`no lungs found: no enclosed air region of at least ${cfg.minLungVolumeMl} ml below ${cfg.airThresholdHu} HU`);
  const keep = order.slice(0, 2).filter((l, k) => k === 0 || cc.sizes[l] >= cfg.secondLungMinFraction * cc.sizes[order[0]]);
  // one component: two lungs joined at a junction (or a single lung) — try to separate them before closing
  let parts: Uint8Array[] = keep.map((l) => cc.ids.map((v) => (v === l ? 1 : 0)) as unknown as Uint8Array).map((a) => Uint8Array.from(a));
  if (keep.length === 1) {
    const split = splitMergedLungs(parts[0], volume.shape, cfg.maxSplitErosions, cfg.secondLungMinFraction);
    if (split) parts = [1, 2].map((p) => split.map((v) => (v === p ? 1 : 0)) as Uint8Array);
  }

  const out = new Uint8Array(n);
  // slices from the feet up: a hole is filled only when it rests on this lung in the slice below, so the top of a
  // diaphragm dome, which a slice above it shows as liver or spleen ringed by lung, stays out
  const upward = volume.direction[8] >= 0; // LPS: +z is the head
  const feetFirst = Array.from({ length: nz }, (_, k) => (upward ? k : nz - 1 - k));
  for (const one of parts) {
    for (let k = 0; k < nz; k++) {
      const z = feetFirst[k];
      const off = z * plane;
      // the first slice has nothing below it (a volume may start mid-lung): its holes are filled
      const below = k === 0 ? undefined : one.subarray(feetFirst[k - 1] * plane, (feetFirst[k - 1] + 1) * plane);
      if (cfg.fillHoles) fillHoles2d(one, ny, nx, off, below);
      closeDisk2d(one, ny, nx, sy, sx, cfg.closingRadiusMm, off);
      if (cfg.fillHoles) fillHoles2d(one, ny, nx, off, below);
    }
  }
  const nearBone = cfg.pleuralBays.hullConcavities ? bodyNearBone(hu, body, parts, volume, cfg.pleuralBays) : undefined;
  const restsOn = new Uint8Array(plane);
  for (const z of feetFirst) {
    const slice = (m: Uint8Array) => m.subarray(z * plane, (z + 1) * plane);
    // the first slice rests on nothing known: a scan that starts inside a dome's cup keeps none of its bays
    fillPleuralBays({ lungs: parts, ny, nx, sy, sx, offset: z * plane, body: slice(body), nearBone: nearBone && slice(nearBone), restsOn: cfg.pleuralBays.restOnLungBelow ? restsOn : undefined }, cfg.pleuralBays);
    // this slice, bays included, is what the next one up rests on
    restsOn.fill(0);
    for (const l of parts) for (let i = 0, o = z * plane; i < plane; i++) restsOn[i] |= l[o + i];
  }
  if (cfg.bridgeSlicesMm > 0) {
    // not into the airway or its wall margin: bronchi cross lung columns obliquely
    const open = body.map((b, i) => (b && !airwayCut[i] ? 1 : 0));
    for (const one of parts) bridgeSlices(one, open, volume.shape, Math.floor(cfg.bridgeSlicesMm / sz));
  }
  for (const one of parts) {
    // give back the margin around the bronchi where it is lung (enclosed air touching this lung), not the lumen
    growInto(one, (i) => airwayCut[i] === 1 && airway[i] === 0 && enclosed[i] === 1, volume.shape, marginSteps);
    for (let i = 0; i < n; i++) if (one[i] && body[i] && !airway[i]) out[i] = 1;
  }
  let lungCount = 0;
  for (let i = 0; i < n; i++) lungCount += out[i];
  if (info) Object.assign(info, { lungs: parts.length, lungVolumeMl: lungCount * voxelMl, airwayVolumeMl: airwayCount * voxelMl, tracheaFound: !!seed });
  return { ...geometryOf(volume), data: out };
}

/**
 * 1 for voxels within `ribDistanceMm` (3-D, mm) of bone of the body (≥ `boneHu`): the chest wall's ribs and spine;
 * computed in the lungs' bounding box grown by that distance (0 elsewhere: no lid lies there). Undefined when the
 * rule is off or the box holds no bone (synthetic phantoms), where every opening away from the mediastinum stays costal.
 */
function bodyNearBone(hu: Float32Array, body: Uint8Array, lungs: Uint8Array[], g: Volume, cfg: LungmaskConfig['pleuralBays']): Uint8Array | undefined {
  if (cfg.ribDistanceMm <= 0) return undefined;
  const [nz, ny, nx] = g.shape;
  const lo = [nz, ny, nx], hi = [-1, -1, -1];
  for (const l of lungs)
    for (let z = 0, i = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, i++) {
          if (!l[i]) continue;
          if (z < lo[0]) lo[0] = z;
          if (z > hi[0]) hi[0] = z;
          if (y < lo[1]) lo[1] = y;
          if (y > hi[1]) hi[1] = y;
          if (x < lo[2]) lo[2] = x;
          if (x > hi[2]) hi[2] = x;
        }
  if (hi[0] < 0) return undefined;
  const grow = g.spacing.map((s) => Math.ceil(cfg.ribDistanceMm / s));
  const from = lo.map((c, a) => Math.max(0, c - grow[a])), to = hi.map((c, a) => Math.min(g.shape[a] - 1, c + grow[a]));
  const [bz, by, bx] = [0, 1, 2].map((a) => to[a] - from[a] + 1);
  const at = (z: number, y: number, x: number) => ((z + from[0]) * ny + y + from[1]) * nx + x + from[2];
  const notBone = new Uint8Array(bz * by * bx);
  let bone = 0;
  for (let z = 0, j = 0; z < bz; z++)
    for (let y = 0; y < by; y++)
      for (let x = 0; x < bx; x++, j++) {
        const i = at(z, y, x);
        if (body[i] && hu[i] >= cfg.boneHu) bone++;
        else notBone[j] = 1;
      }
  if (bone === 0) return undefined;
  const d2 = squaredDistanceToBackground(notBone, [bz, by, bx], g.spacing, [0, 1, 2], new Float32Array(notBone.length));
  const r2 = cfg.ribDistanceMm * cfg.ribDistanceMm;
  const near = new Uint8Array(hu.length);
  for (let z = 0, j = 0; z < bz; z++)
    for (let y = 0; y < by; y++)
      for (let x = 0; x < bx; x++, j++) if (d2[j] <= r2) near[at(z, y, x)] = 1;
  return near;
}

/** Geodesic dilation of `mask` into voxels where `allowed` holds, `steps` 6-neighbour steps (in place). */
function growInto(mask: Uint8Array, allowed: (i: number) => boolean, shape: readonly [number, number, number], steps: number): void {
  const [nz, ny, nx] = shape;
  const plane = ny * nx;
  let front: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) front.push(i);
  for (let s = 0; s < steps && front.length; s++) {
    const next: number[] = [];
    for (const i of front) {
      const z = (i / plane) | 0, r = i - z * plane, y = (r / nx) | 0, x = r - y * nx;
      const nb = [x > 0 ? i - 1 : -1, x < nx - 1 ? i + 1 : -1, y > 0 ? i - nx : -1, y < ny - 1 ? i + nx : -1, z > 0 ? i - plane : -1, z < nz - 1 ? i + plane : -1];
      for (const j of nb) if (j >= 0 && !mask[j] && allowed(j)) (mask[j] = 1), next.push(j);
    }
    front = next;
  }
}
