/**
 * Fills the holes of a 2-D binary slice in place: background regions (4-connected) that do not reach the
 * slice edge become foreground — with `restsOn` (slice-sized), only the holes at least half of whose pixels are
 * set there.
 */
export function fillHoles2d(mask: Uint8Array, ny: number, nx: number, offset = 0, restsOn?: Uint8Array): void {
  const n = ny * nx;
  const outside = new Uint8Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  const seed = (i: number) => {
    if (!mask[offset + i] && !outside[i]) (outside[i] = 1), (queue[tail++] = i);
  };
  for (let x = 0; x < nx; x++) seed(x), seed((ny - 1) * nx + x);
  for (let y = 0; y < ny; y++) seed(y * nx), seed(y * nx + nx - 1);
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const y = (i / nx) | 0;
    const x = i - y * nx;
    if (x > 0) seed(i - 1);
    if (x < nx - 1) seed(i + 1);
    if (y > 0) seed(i - nx);
    if (y < ny - 1) seed(i + nx);
  }
  if (!restsOn) {
    for (let i = 0; i < n; i++) if (!outside[i]) mask[offset + i] = 1;
    return;
  }
  // each hole (4-connected) is filled only when at least half of it lies on `restsOn`
  const holes = labelRegions2d(ny, nx, (i) => !outside[i] && !mask[offset + i], true);
  const resting = new Int32Array(holes.count), size = new Int32Array(holes.count);
  for (let i = 0; i < n; i++) if (holes.ids[i] >= 0) (size[holes.ids[i]]++, (resting[holes.ids[i]] += restsOn[i] ? 1 : 0));
  for (let i = 0; i < n; i++) if (!outside[i] && (holes.ids[i] < 0 || 2 * resting[holes.ids[i]] >= size[holes.ids[i]])) mask[offset + i] = 1;
}

/** Squared Euclidean distance transform along one line (Felzenszwalb & Huttenlocher), sample spacing h mm. */
function edt1d(f: Float64Array, n: number, h: number, d: Float64Array, v: Int32Array, zb: Float64Array): void {
  let k = 0;
  v[0] = 0;
  zb[0] = -Infinity;
  zb[1] = Infinity;
  const h2 = h * h;
  for (let q = 1; q < n; q++) {
    if (f[q] === Infinity) continue;
    if (f[v[k]] === Infinity) {
      v[k] = q;
      continue;
    }
    let s: number;
    for (;;) {
      const p = v[k];
      s = (f[q] + h2 * q * q - (f[p] + h2 * p * p)) / (2 * h2 * (q - p));
      if (s <= zb[k] && k > 0) k--;
      else break;
    }
    if (s <= zb[k]) {
      v[k] = q;
      continue;
    }
    k++;
    v[k] = q;
    zb[k] = s;
    zb[k + 1] = Infinity;
  }
  if (f[v[0]] === Infinity) {
    d.fill(Infinity, 0, n);
    return;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (zb[k + 1] < q) k++;
    const p = v[k];
    d[q] = h2 * (q - p) * (q - p) + f[p];
  }
}

/** Squared distance (mm²) from each pixel of a ny×nx slice to the nearest pixel where `isSource` is true. */
export function squaredDistance2d(isSource: (i: number) => boolean, ny: number, nx: number, sy: number, sx: number): Float64Array {
  const n = ny * nx;
  const out = new Float64Array(n);
  const m = Math.max(ny, nx);
  const f = new Float64Array(m), d = new Float64Array(m), zb = new Float64Array(m + 1);
  const v = new Int32Array(m);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) f[x] = isSource(y * nx + x) ? 0 : Infinity;
    edt1d(f, nx, sx, d, v, zb);
    for (let x = 0; x < nx; x++) out[y * nx + x] = d[x];
  }
  for (let x = 0; x < nx; x++) {
    for (let y = 0; y < ny; y++) f[y] = out[y * nx + x];
    edt1d(f, ny, sy, d, v, zb);
    for (let y = 0; y < ny; y++) out[y * nx + x] = d[y];
  }
  return out;
}

/** Binary closing of a 2-D slice in place with a disk of radius r mm (exact, via distance transforms). */
export function closeDisk2d(mask: Uint8Array, ny: number, nx: number, sy: number, sx: number, radiusMm: number, offset = 0): void {
  if (radiusMm <= 0) return;
  const r2 = radiusMm * radiusMm;
  let any = false;
  for (let i = 0; i < ny * nx; i++) if (mask[offset + i]) { any = true; break; }
  if (!any) return;
  const toFg = squaredDistance2d((i) => mask[offset + i] !== 0, ny, nx, sy, sx);
  // erosion of the dilation; beyond the image edge is background (a crop does not grow the mask to its edge)
  const toBg = squaredDistance2d((i) => toFg[i] > r2, ny, nx, sy, sx);
  for (let i = 0; i < ny * nx; i++) {
    const y = (i / nx) | 0, x = i - y * nx;
    const edge = Math.min((x + 1) * sx, (nx - x) * sx, (y + 1) * sy, (ny - y) * sy);
    if (toBg[i] > r2 && edge * edge > r2) mask[offset + i] = 1;
  }
}

/** Connected regions (8-connected, or 4 with `faces`) of the pixels of an ny×nx slice where `inside` holds: ids 0…count−1, −1 elsewhere. */
export function labelRegions2d(ny: number, nx: number, inside: (i: number) => boolean, faces = false): { ids: Int32Array; count: number } {
  const n = ny * nx;
  const ids = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (ids[s] >= 0 || !inside(s)) continue;
    const id = count++;
    ids[s] = id;
    let tail = 0;
    queue[tail++] = s;
    for (let head = 0; head < tail; head++) {
      const i = queue[head];
      const y = (i / nx) | 0, x = i - y * nx;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy, xx = x + dx;
          if (yy < 0 || yy >= ny || xx < 0 || xx >= nx || (faces && dx !== 0 && dy !== 0)) continue;
          const j = yy * nx + xx;
          if (ids[j] < 0 && inside(j)) (ids[j] = id), (queue[tail++] = j);
        }
    }
  }
  return { ids, count };
}
