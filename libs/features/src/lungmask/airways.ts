import type { Geometry } from '@covseg/io';
import type { LungmaskConfig } from '../config.js';

/** Index step towards the patient's head along z: +1 when the image z axis points superior (LPS +z). */
export function superiorStep(g: Geometry): 1 | -1 {
  return g.direction[8] >= 0 ? 1 : -1;
}

/**
 * Finds the trachea in the most superior slices: a round-ish airway-dark component of the enclosed air, its area
 * within the configured range and its centre in the middle third of the body's width. Returns its voxel indices.
 */
export function findTracheaSeed(smoothed: Float32Array, enclosed: Uint8Array, g: Geometry, cfg: LungmaskConfig): number[] | undefined {
  const [nz, ny, nx] = g.shape;
  const plane = ny * nx;
  const pixelMm2 = g.spacing[1] * g.spacing[2];
  const up = superiorStep(g);
  const searchSlices = Math.max(1, Math.ceil(cfg.maxAirwayLengthMm / 2 / g.spacing[0]));
  const seen = new Uint8Array(plane);
  const queue = new Int32Array(plane);
  for (let s = 0; s < Math.min(nz, searchSlices); s++) {
    const z = up > 0 ? nz - 1 - s : s;
    const off = z * plane;
    seen.fill(0);
    let best: { pix: number[]; dist: number } | undefined;
    for (let p = 0; p < plane; p++) {
      if (seen[p] || !enclosed[off + p] || smoothed[off + p] >= cfg.airwayThresholdHu) continue;
      // 4-connected 2-D component of airway-dark enclosed air
      let tail = 0;
      queue[tail++] = p;
      seen[p] = 1;
      for (let h = 0; h < tail; h++) {
        const i = queue[h];
        const y = (i / nx) | 0, x = i - y * nx;
        const nb = [x > 0 ? i - 1 : -1, x < nx - 1 ? i + 1 : -1, y > 0 ? i - nx : -1, y < ny - 1 ? i + nx : -1];
        for (const j of nb) if (j >= 0 && !seen[j] && enclosed[off + j] && smoothed[off + j] < cfg.airwayThresholdHu) (seen[j] = 1), (queue[tail++] = j);
      }
      const area = tail * pixelMm2;
      if (area < cfg.tracheaAreaMm2[0] || area > cfg.tracheaAreaMm2[1]) continue;
      let cx = 0;
      for (let h = 0; h < tail; h++) cx += queue[h] % nx;
      cx /= tail;
      const dist = Math.abs(cx - (nx - 1) / 2) / nx;
      // the trachea is midline: its centre lies in the middle third of the image width
      if (dist > 1 / 6) continue;
      if (!best || dist < best.dist) best = { pix: Array.from(queue.subarray(0, tail), (i) => off + i), dist };
    }
    if (best) return best.pix;
  }
  return undefined;
}

/**
 * Grows the trachea and main bronchi from the seed through airway-dark enclosed air (6-connected), up to a path
 * length (mm) from the seed and a volume cap (leak guard). Returns a mask (1 = airway).
 */
export function growAirways(seed: number[], smoothed: Float32Array, enclosed: Uint8Array, g: Geometry, cfg: LungmaskConfig): Uint8Array {
  const [nz, ny, nx] = g.shape;
  const plane = ny * nx;
  const [sz, sy, sx] = g.spacing;
  const maxVoxels = Math.floor((cfg.maxAirwayVolumeMl * 1000) / (sz * sy * sx));
  const airway = new Uint8Array(smoothed.length);
  const dist = new Float32Array(smoothed.length);
  const queue = new Int32Array(Math.min(smoothed.length, maxVoxels + plane));
  let head = 0, tail = 0;
  for (const i of seed) (airway[i] = 1), (queue[tail++] = i);
  const visit = (j: number, d: number) => {
    if (airway[j] || !enclosed[j] || smoothed[j] >= cfg.airwayThresholdHu || d > cfg.maxAirwayLengthMm || tail >= queue.length) return;
    airway[j] = 1;
    dist[j] = d;
    queue[tail++] = j;
  };
  while (head < tail && tail < maxVoxels) {
    const i = queue[head++];
    const z = (i / plane) | 0, r = i - z * plane, y = (r / nx) | 0, x = r - y * nx;
    const d = dist[i];
    if (x > 0) visit(i - 1, d + sx);
    if (x < nx - 1) visit(i + 1, d + sx);
    if (y > 0) visit(i - nx, d + sy);
    if (y < ny - 1) visit(i + nx, d + sy);
    if (z > 0) visit(i - plane, d + sz);
    if (z < nz - 1) visit(i + plane, d + sz);
  }
  return airway;
}

/** Dilates a mask in place by a box of `marginMm` (per-axis voxel radius), for the airway wall's partial volume. */
export function dilateMm(mask: Uint8Array, g: Geometry, marginMm: number): void {
  const [nz, ny, nx] = g.shape;
  const rad = [0, 1, 2].map((a) => Math.round(marginMm / g.spacing[a]));
  const strides = [ny * nx, nx, 1];
  const dims = [nz, ny, nx];
  for (let a = 0; a < 3; a++) {
    const r = rad[a];
    if (r < 1) continue;
    const src = mask.slice();
    const st = strides[a];
    for (let i = 0; i < mask.length; i++) {
      if (!src[i]) continue;
      const c = Math.floor(i / st) % dims[a];
      for (let k = -r; k <= r; k++) if (c + k >= 0 && c + k < dims[a]) mask[i + k * st] = 1;
    }
  }
}
