import type { LungmaskConfig } from '../config.js';
import { convexHull, convexHullMask2d, fillConvexPolygon } from './convexHull2d.js';
import { labelRegions2d } from './slice2d.js';

/** Lid pixel kinds: where a hull concavity opens to, across the hull's edge (SUBPHRENIC: away from the chest wall's bone). */
const COSTAL = 1, MEDIASTINAL = 2, SUBPHRENIC = 3;

/** One axial slice of the lungs being built: full masks, the slice at `offset`, ny×nx pixels of sy×sx mm. */
export interface LungSlice {
  lungs: Uint8Array[];
  ny: number;
  nx: number;
  sy: number;
  sx: number;
  offset: number;
  /** Slice-sized: 1 inside the body (fills stay there; outside it is the exterior the chest wall is measured from). */
  body: Uint8Array;
  /** Slice-sized: 1 within `ribDistanceMm` of bone; absent when the rule is off or the image holds no bone (phantoms). */
  nearBone?: Uint8Array;
  /** Slice-sized: the lungs in the slice below (3-D, feet first); a bay is kept only when at least half of it rests there. */
  restsOn?: Uint8Array;
}

/**
 * Puts back into the lungs of one axial slice the pleural bays that dense subpleural consolidation (or
 * atelectasis) cuts out of the air lung, in two steps (`pleuralBays`): the chest-wall-side concavities of each
 * lung's convex hull (fillCostalConcavities), then the bays that reach beyond the hull of both lungs
 * (fillBeyondHull). Modifies `s.lungs` in place.
 */
export function fillPleuralBays(s: LungSlice, cfg: LungmaskConfig['pleuralBays']): void {
  const { lungs, ny, nx, offset } = s;
  const before = lungs.map((l) => l.slice(offset, offset + ny * nx));
  if (cfg.hullConcavities) fillCostalConcavities(s);
  if (cfg.maxDepthMm > 0) fillBeyondHull(s, cfg.maxDepthMm);
  // a bay hangs on its lung: drop added pixels cut off from it (slivers of a bay past a thin strip of lung)
  lungs.forEach((l, k) => keepConnected(l, before[k], ny, nx, offset));
  // a consolidation lies on lung or on its own lower slices; what lies on neither is under the diaphragm
  if (s.restsOn) lungs.forEach((l, k) => keepResting(l, before[k], s.restsOn!, ny, nx, offset));
}

/** Clears the added pixels of `mask` (not in `before`) whose 8-connected added region rests less than half on `restsOn`. */
function keepResting(mask: Uint8Array, before: Uint8Array, restsOn: Uint8Array, ny: number, nx: number, offset: number): void {
  const n = ny * nx;
  const added = labelRegions2d(ny, nx, (i) => mask[offset + i] === 1 && before[i] === 0);
  const resting = new Int32Array(added.count), size = new Int32Array(added.count);
  for (let i = 0; i < n; i++) if (added.ids[i] >= 0) (size[added.ids[i]]++, (resting[added.ids[i]] += restsOn[i]));
  for (let i = 0; i < n; i++) if (added.ids[i] >= 0 && 2 * resting[added.ids[i]] < size[added.ids[i]]) mask[offset + i] = 0;
}

/** Clears the pixels of `mask` (slice at `offset`) that are not 4-connected, within the mask, to a pixel of `seed`. */
function keepConnected(mask: Uint8Array, seed: Uint8Array, ny: number, nx: number, offset: number): void {
  const n = ny * nx;
  const reached = new Uint8Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (seed[i]) (reached[i] = 1), (queue[tail++] = i);
  spread(queue, tail, reached, (j) => mask[offset + j] === 1, ny, nx, true);
  for (let i = 0; i < n; i++) if (!reached[i]) mask[offset + i] = 0;
}

const present = (l: Uint8Array, offset: number, n: number) => {
  for (let i = 0; i < n; i++) if (l[offset + i]) return true;
  return false;
};

/**
 * Fills, in one axial slice, the concavities of each lung's convex hull that open onto the chest wall. The costal
 * pleura is convex in an axial slice, the mediastinal side is not (heart, hilum, spine), so a concavity is split by
 * where it opens: hull-edge pixels facing the region inside the hull of both lungs (between the lungs, or the
 * other lung's hull) are mediastinal, the others (chest wall, image edge) costal; each concavity pixel takes the
 * kind of the nearest lid pixel (8-connected geodesic distance inside the concavity) and is filled when that is
 * costal — unless `nearBone` is given and the pixel across is not near bone: no rib there, so the concavity opens
 * onto the liver or spleen under a diaphragm dome (kind subphrenic, not filled). Needs both lungs in the slice:
 * with one lung, which side is mediastinal is unknown.
 */
export function fillCostalConcavities(s: LungSlice): void {
  const { lungs, ny, nx, offset, body, nearBone } = s;
  const n = ny * nx;
  if (lungs.length !== 2 || !present(lungs[0], offset, n) || !present(lungs[1], offset, n)) return;
  const hulls = lungs.map((l) => convexHullMask2d(l, ny, nx, offset));
  const both = new Uint8Array(n);
  for (let i = 0; i < n; i++) both[i] = lungs[0][offset + i] | lungs[1][offset + i];
  const joint = convexHullMask2d(both, ny, nx);
  const kind = new Uint8Array(n);
  const queue = new Int32Array(n);
  for (let k = 0; k < 2; k++) {
    const lung = lungs[k], hull = hulls[k];
    const inBay = (i: number) => hull[i] === 1 && both[i] === 0 && body[i] === 1;
    kind.fill(0);
    let tail = 0;
    for (let i = 0; i < n; i++) {
      if (!inBay(i)) continue;
      const y = (i / nx) | 0, x = i - y * nx;
      let costal = 0, mediastinal = 0, subphrenic = 0;
      const look = (j: number, inside: boolean) => {
        if (!inside) return void costal++; // beyond the image edge: a cropped chest wall
        if (hull[j]) return;
        if (joint[j]) mediastinal++; // between the lungs' hulls, or in the other lung's
        else if (nearBone && !nearBone[j]) subphrenic++; // no rib or spine near: the liver or spleen a basal slice cups
        else costal++;
      };
      look(i - 1, x > 0);
      look(i + 1, x < nx - 1);
      look(i - nx, y > 0);
      look(i + nx, y < ny - 1);
      if (costal + mediastinal + subphrenic === 0) continue;
      kind[i] = costal > mediastinal && costal > subphrenic ? COSTAL : mediastinal >= subphrenic ? MEDIASTINAL : SUBPHRENIC;
      queue[tail++] = i;
    }
    const lids = queue.slice(0, tail);
    // breadth-first from all lid pixels at once: each bay pixel takes the kind of the lid that reaches it first
    spread(queue, tail, kind, inBay, ny, nx);
    if (nearBone) dropSubphrenicBays(kind, lids, ny, nx);
    for (let i = 0; i < n; i++) if (kind[i] === COSTAL) lung[offset + i] = 1;
  }
}

/**
 * Clears the costal pixels of each bay (8-connected region of `kind` ≠ 0) whose lid is mostly subphrenic: the cup a
 * basal lung slice forms over a diaphragm dome meets bone only at its tips, which would otherwise claim a wedge of
 * liver or spleen on each side. `lids` are the lid pixels (the spread keeps their own kinds).
 */
function dropSubphrenicBays(kind: Uint8Array, lids: Int32Array, ny: number, nx: number): void {
  const bays = labelRegions2d(ny, nx, (i) => kind[i] !== 0);
  const costal = new Int32Array(bays.count), subphrenic = new Int32Array(bays.count);
  for (const i of lids) {
    if (kind[i] === COSTAL) costal[bays.ids[i]]++;
    else if (kind[i] === SUBPHRENIC) subphrenic[bays.ids[i]]++;
  }
  for (let i = 0; i < kind.length; i++) if (kind[i] === COSTAL && subphrenic[bays.ids[i]] > costal[bays.ids[i]]) kind[i] = SUBPHRENIC;
}

/** Breadth-first spread (8-connected, or 4 with `faces`) of `value` from the first `tail` queued pixels into pixels where `open` holds. */
function spread(queue: Int32Array, tail: number, value: Uint8Array, open: (i: number) => boolean, ny: number, nx: number, faces = false): void {
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const y = (i / nx) | 0, x = i - y * nx;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= ny) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= nx || (faces && dx !== 0 && dy !== 0)) continue;
        const j = yy * nx + xx;
        if (!value[j] && open(j)) (value[j] = value[i]), (queue[tail++] = j);
      }
    }
  }
}

/**
 * Fills the pleural bays that reach beyond the convex hull of both lungs, where a consolidation takes a convex
 * part of a lung (its posterior or lateral edge): an edge of that hull joining two points of the same lung spans
 * such a bay, and the costal pleura is smooth there, so it is continued across the bay — the neighbouring hull
 * edges give its direction at both ends, and a quadratic Bézier curve tangent to them (control point where they
 * meet, at most `maxDepthMm` beyond the edge) stands in for the pleura; the body pixels between edge and curve
 * are filled. Edges joining the two lungs cross the mediastinum and are left alone; so are slices with one lung
 * (a hull edge across the mediastinal side of a lone lung would bulge into the heart).
 */
export function fillBeyondHull(s: LungSlice, maxDepthMm: number): void {
  const { lungs, ny, nx, sy, sx, offset, body } = s;
  const n = ny * nx;
  if (lungs.length !== 2 || !present(lungs[0], offset, n) || !present(lungs[1], offset, n)) return;
  // each row's outermost pixels of each lung, tagged with the lung: enough for the hull, and its edges know their lungs
  const pts: number[][] = [];
  for (let k = 0; k < 2; k++) {
    const l = lungs[k];
    for (let y = 0; y < ny; y++) {
      let lo = -1, hi = -1;
      for (let x = 0, i = offset + y * nx; x < nx; x++, i++) if (l[i]) (lo < 0 ? (lo = x) : 0), (hi = x);
      if (lo >= 0) pts.push([lo, y, k], [hi, y, k]);
    }
  }
  const hull = convexHull(pts);
  const m = hull.length;
  if (m < 4) return;
  const lineCross = (p: number[], q: number[], r: number[], t: number[]): number[] | undefined => {
    // intersection of line p→q with line r→t (pixel coordinates)
    const d1x = q[0] - p[0], d1y = q[1] - p[1], d2x = t[0] - r[0], d2y = t[1] - r[1];
    const den = d1x * d2y - d1y * d2x;
    if (Math.abs(den) < 1e-12) return undefined;
    const u = ((r[0] - p[0]) * d2y - (r[1] - p[1]) * d2x) / den;
    return [p[0] + u * d1x, p[1] + u * d1y];
  };
  for (let e = 0; e < m; e++) {
    const a = hull[e], b = hull[(e + 1) % m];
    if (a[2] !== b[2]) continue;
    const lenMm = Math.hypot((b[0] - a[0]) * sx, (b[1] - a[1]) * sy);
    if (lenMm < 2 * Math.max(sx, sy)) continue; // adjacent pixels of a smooth pleura: no bay
    const before = hull[(e - 1 + m) % m], after = hull[(e + 2) % m];
    let c = lineCross(before, a, after, b);
    // the tangents must meet beyond the edge (CCW hull: outside is to the right, cross < 0)
    const side = c ? (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) : 0;
    if (!c || side >= 0) continue;
    // distance (mm) of the control point from the edge; the curve's bulge is half of it
    const ex = (b[0] - a[0]) * sx, ey = (b[1] - a[1]) * sy;
    const dist = Math.abs(ex * (c[1] - a[1]) * sy - ey * (c[0] - a[0]) * sx) / Math.hypot(ex, ey);
    if (dist > 2 * maxDepthMm) {
      const mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], f = (2 * maxDepthMm) / dist;
      c = [mid[0] + (c[0] - mid[0]) * f, mid[1] + (c[1] - mid[1]) * f];
    }
    const steps = Math.max(4, Math.ceil(lenMm / Math.min(sx, sy)));
    const poly: number[][] = [];
    for (let k = 0; k <= steps; k++) {
      const t = k / steps, u = 1 - t;
      poly.push([u * u * a[0] + 2 * u * t * c[0] + t * t * b[0], u * u * a[1] + 2 * u * t * c[1] + t * t * b[1]]);
    }
    const bay = new Uint8Array(n);
    fillConvexPolygon(poly, ny, nx, bay);
    const lung = lungs[a[2]];
    for (let i = 0; i < n; i++) if (bay[i] && body[i] && !lungs[1 - a[2]][offset + i]) lung[offset + i] = 1;
  }
}
