/** 3D connected components of a voxel mask: component id per voxel (0 = outside), voxel counts and coordinate sums. */
export interface Components {
  /** Component id of each voxel, 1..count (0 where the mask is off). */
  ids: Int32Array;
  count: number;
  /** Voxels per component (index id − 1). */
  sizes: number[];
  /** Sum of z, y, x voxel indices per component (centroid = sum / size). */
  sums: [number, number, number][];
}

/** Backward neighbour offsets (dz, dy, dx) already visited in raster order. */
function backwardOffsets(connectivity: 6 | 26): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let dz = -1; dz <= 0; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        if (dz === 0 && (dy > 0 || (dy === 0 && dx >= 0))) continue;
        if (connectivity === 6 && Math.abs(dz) + Math.abs(dy) + Math.abs(dx) !== 1) continue;
        out.push([dz, dy, dx]);
      }
  return out;
}

/** Labels the 3D connected components of `inMask(i)` on a [nz, ny, nx] grid (two-pass union-find). */
export function connectedComponents(shape: readonly [number, number, number], inMask: (i: number) => boolean, connectivity: 6 | 26): Components {
  const [nz, ny, nx] = shape;
  const ids = new Int32Array(nz * ny * nx);
  const parent: number[] = [0];
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
          root = parent.length;
          parent.push(root);
        }
        ids[i] = root;
      }
  // second pass: compact roots to 1..count in raster order of first appearance
  const compact = new Int32Array(parent.length);
  const sizes: number[] = [];
  const sums: [number, number, number][] = [];
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (!ids[i]) continue;
        const r = find(ids[i]);
        if (!compact[r]) {
          compact[r] = sizes.length + 1;
          sizes.push(0);
          sums.push([0, 0, 0]);
        }
        const c = compact[r];
        ids[i] = c;
        sizes[c - 1]++;
        const s = sums[c - 1];
        s[0] += z;
        s[1] += y;
        s[2] += x;
      }
  return { ids, count: sizes.length, sizes, sums };
}
