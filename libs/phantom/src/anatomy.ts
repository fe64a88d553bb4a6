import type { Frame, Vec3 } from './frame.js';

/** Ellipsoid lung: centre and semi-axes (mm), plus the diaphragm dome height (mm). */
export interface LungShape {
  centre: Vec3;
  axes: Vec3;
}

/** The two lungs of a frame: right lung at image left (−X), left lung at +X (LPS). */
export function lungShapes(f: Frame): LungShape[] {
  const [hx, hy, hz] = f.half;
  const axes: Vec3 = [0.3 * hx, 0.5 * hy, 0.88 * hz];
  return [
    { centre: [-0.44 * hx, 0.04 * hy, -0.04 * hz], axes },
    { centre: [0.44 * hx, 0.04 * hy, -0.04 * hz], axes },
  ];
}

/** Normalised ellipsoid radius (<1 inside) of point p for a lung. */
export function lungRadius(l: LungShape, p: Vec3): number {
  const dx = (p[0] - l.centre[0]) / l.axes[0];
  const dy = (p[1] - l.centre[1]) / l.axes[1];
  const dz = (p[2] - l.centre[2]) / l.axes[2];
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/** Heart (soft tissue) that indents the left lung anteriorly and inferiorly. */
export function heartRadius(f: Frame, p: Vec3): number {
  const [hx, hy, hz] = f.half;
  const dx = (p[0] - 0.12 * hx) / (0.3 * hx);
  const dy = (p[1] + 0.2 * hy) / (0.32 * hy);
  const dz = (p[2] + 0.45 * hz) / (0.4 * hz);
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/** Body ellipse radius (<1 inside) and fat-layer inner radius. */
export function bodyRadius(f: Frame, p: Vec3): number {
  const [hx, hy] = f.half;
  const dx = p[0] / (0.94 * hx);
  const dy = p[1] / (0.74 * hy);
  return Math.sqrt(dx * dx + dy * dy);
}

/** Airway tree: trachea down the midline to the carina, then one main bronchus into each lung. */
export function airwaySegments(f: Frame, tracheaR: number, bronchusR: number): { a: Vec3; b: Vec3; r: number }[] {
  const [hx, hy, hz] = f.half;
  const carina: Vec3 = [0, -0.12 * hy, 0.15 * hz];
  return [
    { a: [0, -0.12 * hy, hz * 1.1], b: carina, r: tracheaR },
    { a: carina, b: [-0.3 * hx, -0.02 * hy, 0.02 * hz], r: bronchusR },
    { a: carina, b: [0.3 * hx, -0.02 * hy, 0.02 * hz], r: bronchusR },
  ];
}

/** Distance (mm) from p to segment ab, and the segment parameter t ∈ [0,1] of the closest point. */
export function segmentDistance(p: Vec3, a: Vec3, b: Vec3): { d: number; t: number } {
  const abx = b[0] - a[0], aby = b[1] - a[1], abz = b[2] - a[2];
  const len2 = abx * abx + aby * aby + abz * abz;
  let t = len2 > 0 ? ((p[0] - a[0]) * abx + (p[1] - a[1]) * aby + (p[2] - a[2]) * abz) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const dx = p[0] - a[0] - t * abx, dy = p[1] - a[1] - t * aby, dz = p[2] - a[2] - t * abz;
  return { d: Math.sqrt(dx * dx + dy * dy + dz * dz), t };
}
