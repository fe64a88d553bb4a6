/**
 * Fills, in one lung's 3-D mask (in place), the voxels of each (y, x) column that have lung within `steps` slices
 * above and within `steps` slices below: a dense lesion confined to a few slices (subpleural or mediastinal-side
 * consolidation, which no axial slice can tell from the chest wall or the heart) lies between aerated lung of
 * the same lung on both sides, while the chest wall, heart and liver do not. Only voxels where `allowed` is 1
 * (the body) are filled; a column's gaps are judged on the mask as given, so fills do not feed each other.
 */
export function bridgeSlices(lung: Uint8Array, allowed: Uint8Array, shape: readonly [number, number, number], steps: number): number {
  const [nz, ny, nx] = shape;
  const plane = ny * nx;
  if (steps < 1 || nz < 3) return 0;
  const below = new Int32Array(nz); // per column: slice of the nearest lung voxel at or below z (-1: none)
  let filled = 0;
  for (let p = 0; p < plane; p++) {
    let last = -1;
    for (let z = 0; z < nz; z++) below[z] = lung[z * plane + p] ? (last = z) : last;
    let next = -1; // nearest lung voxel strictly above z, scanning down from the top
    for (let z = nz - 1; z >= 0; z--) {
      const i = z * plane + p;
      if (!lung[i] && allowed[i]) {
        const under = z > 0 ? below[z - 1] : -1;
        if (under >= 0 && z - under <= steps && next >= 0 && next - z <= steps) (lung[i] = 2), filled++;
      }
      if (lung[i] === 1) next = z;
    }
  }
  for (let i = 0; i < lung.length; i++) if (lung[i] === 2) lung[i] = 1;
  return filled;
}
