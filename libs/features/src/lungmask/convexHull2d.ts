/** Cross product of (b − a) × (c − a) for points [x, y]. */
const cross = (a: number[], b: number[], c: number[]) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);

/** Convex hull (Andrew's monotone chain) of [x, y] points, counter-clockwise, no collinear points. */
export function convexHull(points: number[][]): number[][] {
  const p = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const half = (pts: number[][]) => {
    const h: number[][] = [];
    for (const q of pts) {
      while (h.length >= 2 && cross(h[h.length - 2], h[h.length - 1], q) <= 0) h.pop();
      h.push(q);
    }
    h.pop();
    return h;
  };
  return [...half(p), ...half(p.slice().reverse())];
}

/**
 * Filled convex hull of the non-zero pixels of a ny×nx mask (pixel centres; 1 = inside or on the hull).
 * Only each row's outermost pixels matter, so the hull is built from at most 2·ny points.
 */
export function convexHullMask2d(mask: Uint8Array, ny: number, nx: number, offset = 0): Uint8Array {
  const pts: number[][] = [];
  for (let y = 0; y < ny; y++) {
    let lo = -1, hi = -1;
    for (let x = 0; x < nx; x++) if (mask[offset + y * nx + x]) (lo < 0 ? (lo = x) : 0), (hi = x);
    if (lo >= 0) pts.push([lo, y], [hi, y]);
  }
  const out = new Uint8Array(ny * nx);
  if (!pts.length) return out;
  const hull = convexHull(pts);
  if (hull.length < 3) {
    for (const [x, y] of pts) out[y * nx + x] = 1;
    return out;
  }
  fillConvexPolygon(hull, ny, nx, out);
  return out;
}

/** Sets to 1 the pixels of `out` (ny×nx) inside or on a convex polygon of [x, y] pixel-centre vertices (in order). */
export function fillConvexPolygon(poly: number[][], ny: number, nx: number, out: Uint8Array): void {
  let y0 = Infinity, y1 = -Infinity;
  for (const p of poly) (y0 = Math.min(y0, p[1])), (y1 = Math.max(y1, p[1]));
  for (let y = Math.max(0, Math.ceil(y0 - 1e-9)); y <= Math.min(ny - 1, Math.floor(y1 + 1e-9)); y++) {
    // the polygon is convex: each row crosses it in one interval, found from the edges that span the row
    let lo = Infinity, hi = -Infinity;
    for (let k = 0; k < poly.length; k++) {
      const a = poly[k], b = poly[(k + 1) % poly.length];
      if ((a[1] - y) * (b[1] - y) > 0) continue;
      if (a[1] === b[1]) (lo = Math.min(lo, a[0], b[0])), (hi = Math.max(hi, a[0], b[0]));
      else {
        const x = a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
        (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
      }
    }
    for (let x = Math.max(0, Math.ceil(lo - 1e-9)); x <= Math.min(nx - 1, Math.floor(hi + 1e-9)); x++) out[y * nx + x] = 1;
  }
}
