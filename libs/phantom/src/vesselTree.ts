import type { Rng } from '@covseg/io';
import type { Vec3 } from './frame.js';
import { lungRadius, type LungShape } from './anatomy.js';

/** A tapered vessel segment: from a (radius ra) to b (radius rb), mm. */
export interface VesselSegment {
  a: Vec3;
  b: Vec3;
  ra: number;
  rb: number;
}

const norm = (v: Vec3): Vec3 => {
  const l = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / l, v[1] / l, v[2] / l];
};

/**
 * Grows a bifurcating vessel tree from the lung's hilum toward its periphery: each branch splits in two
 * thinner ones (Murray-like radius ratio) until the radius falls below `minRadius` mm.
 */
export function growVesselTree(lung: LungShape, rng: Rng, rootRadius: number, minRadius: number): VesselSegment[] {
  const segs: VesselSegment[] = [];
  const medial = lung.centre[0] > 0 ? -1 : 1; // hilum sits on the mediastinal side
  const root: Vec3 = [lung.centre[0] + medial * 0.55 * lung.axes[0], lung.centre[1], lung.centre[2] + 0.1 * lung.axes[2]];
  const rootLen = 0.32 * Math.min(lung.axes[0], lung.axes[1]) + 0.1 * lung.axes[2];
  const grow = (start: Vec3, dir: Vec3, r: number, len: number, depth: number) => {
    let end: Vec3 = [start[0] + dir[0] * len, start[1] + dir[1] * len, start[2] + dir[2] * len];
    for (let k = 0; k < 6 && lungRadius(lung, end) > 0.92; k++) {
      len *= 0.6;
      end = [start[0] + dir[0] * len, start[1] + dir[1] * len, start[2] + dir[2] * len];
    }
    if (lungRadius(lung, end) > 0.95 || len < r) return;
    const rChild = r * 0.79; // 2^(-1/3): Murray's law for a symmetric split
    segs.push({ a: start, b: end, ra: r, rb: Math.max(rChild, minRadius) });
    if (rChild < minRadius || depth > 12) return;
    for (const side of [-1, 1]) {
      // turn by 25–45° in a random plane, biased away from the hilum
      const rand = norm([rng.normal(), rng.normal(), rng.normal()]);
      const angle = (side * (25 + 20 * rng.next()) * Math.PI) / 180;
      const perp = norm([rand[1] * dir[2] - rand[2] * dir[1], rand[2] * dir[0] - rand[0] * dir[2], rand[0] * dir[1] - rand[1] * dir[0]]);
      const out = norm([end[0] - root[0], end[1] - root[1], end[2] - root[2]]);
      const nd = norm([
        Math.cos(angle) * dir[0] + Math.sin(angle) * perp[0] + 0.35 * out[0],
        Math.cos(angle) * dir[1] + Math.sin(angle) * perp[1] + 0.35 * out[1],
        Math.cos(angle) * dir[2] + Math.sin(angle) * perp[2] + 0.35 * out[2],
      ]);
      grow(end, nd, rChild, len * (0.75 + 0.15 * rng.next()), depth + 1);
    }
  };
  // four lobar trunks: up, down, forward, back from the hilum
  const trunks: Vec3[] = [[-medial * 0.4, 0, 1], [-medial * 0.4, 0, -1], [-medial * 0.6, -0.8, 0], [-medial * 0.6, 0.8, 0]];
  for (const t of trunks) grow(root, norm([t[0] + 0.2 * rng.normal(), t[1] + 0.2 * rng.normal(), t[2] + 0.2 * rng.normal()]), rootRadius, rootLen, 0);
  return segs;
}
