/** Connected components of a voxel mask: id per voxel (0 = outside), and per id (index 0 unused) its voxel count and coordinate sums. */
export interface Components {
  /** Component id of each voxel, 1..count in raster order of first appearance (0 where the mask is off). */
  ids: Int32Array;
  count: number;
  /** sizes[id] = voxels of component id (sizes[0] = 0). */
  sizes: number[];
  /** sums[id] = sums of the z, y, x voxel indices (centroid = sums / size; sums[0] unused). */
  sums: [number, number, number][];
}

/** Neighbourhoods: 4 = in-plane faces (each z-slice on its own), 6 = faces, 18 = + edges, 26 = + corners. */
export type ComponentConnectivity = 4 | 6 | 18 | 26;

/** Neighbour offsets (dz, dy, dx) that come before a voxel in raster order. */
function backwardOffsets(connectivity: ComponentConnectivity): [number, number, number][] {
  const maxL1 = connectivity === 4 || connectivity === 6 ? 1 : connectivity === 18 ? 2 : 3;
  const out: [number, number, number][] = [];
  for (let dz = connectivity === 4 ? 0 : -1; dz <= 0; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        if (dz === 0 && (dy > 0 || (dy === 0 && dx >= 0))) continue;
        if (Math.abs(dz) + Math.abs(dy) + Math.abs(dx) <= maxL1) out.push([dz, dy, dx]);
      }
  return out;
}

/** Labels the connected components of `inMask(i)` on a [nz, ny, nx] grid (two-pass union-find on typed arrays). */
export function connectedComponents(shape: readonly [number, number, number], inMask: (i: number) => boolean, connectivity: ComponentConnectivity): Components {
  const [nz, ny, nx] = shape;
  const ids = new Int32Array(nz * ny * nx);
  let parent = new Int32Array(1024);
  let roots = 1; // parent[0] unused
  const find = (a: number) => {
    while (parent[a] !== a) a = parent[a] = parent[parent[a]];
    return a;
  };
  const offsets = backwardOffsets(connectivity);
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (!inMask(i)) continue;
        let root = 0;
        for (const [dz, dy, dx] of offsets) {
          const zz = z + dz, yy = y + dy, xx = x + dx;
          if (zz < 0 || yy < 0 || yy >= ny || xx < 0 || xx >= nx) continue;
          const n = ids[xx + nx * (yy + ny * zz)];
          if (!n) continue;
          const r = find(n);
          if (!root) root = r;
          else if (r !== root) {
            const [lo, hi] = r < root ? [r, root] : [root, r];
            parent[hi] = lo;
            root = lo;
          }
        }
        if (!root) {
          if (roots === parent.length) {
            const bigger = new Int32Array(parent.length * 2);
            bigger.set(parent);
            parent = bigger;
          }
          root = roots;
          parent[roots++] = root;
        }
        ids[i] = root;
      }
  // second pass: compact roots to 1..count in raster order of first appearance
  const compact = new Int32Array(roots);
  const sizes: number[] = [0];
  const sums: [number, number, number][] = [[0, 0, 0]];
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (!ids[i]) continue;
        const r = find(ids[i]);
        if (!compact[r]) {
          compact[r] = sizes.length;
          sizes.push(0);
          sums.push([0, 0, 0]);
        }
        const c = compact[r];
        ids[i] = c;
        sizes[c]++;
        const s = sums[c];
        s[0] += z;
        s[1] += y;
        s[2] += x;
      }
  return { ids, count: sizes.length - 1, sizes, sums };
}
