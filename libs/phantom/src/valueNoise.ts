import type { Rng } from '@covseg/io';

/** Smooth 3D value noise in [-1, 1] with feature size `cell` mm (trilinear over a random lattice). */
export function makeValueNoise(rng: Rng, cell: number): (x: number, y: number, z: number) => number {
  const N = 32;
  const lattice = Float32Array.from({ length: N * N * N }, () => rng.uniform(-1, 1));
  const ox = rng.uniform(0, N), oy = rng.uniform(0, N), oz = rng.uniform(0, N);
  const at = (i: number, j: number, k: number) => lattice[((i & 31) * N + (j & 31)) * N + (k & 31)];
  const smooth = (t: number) => t * t * (3 - 2 * t);
  return (x, y, z) => {
    const fx = x / cell + ox, fy = y / cell + oy, fz = z / cell + oz;
    const i = Math.floor(fx), j = Math.floor(fy), k = Math.floor(fz);
    const u = smooth(fx - i), v = smooth(fy - j), w = smooth(fz - k);
    const l00 = at(i, j, k) * (1 - u) + at(i + 1, j, k) * u;
    const l10 = at(i, j + 1, k) * (1 - u) + at(i + 1, j + 1, k) * u;
    const l01 = at(i, j, k + 1) * (1 - u) + at(i + 1, j, k + 1) * u;
    const l11 = at(i, j + 1, k + 1) * (1 - u) + at(i + 1, j + 1, k + 1) * u;
    return (l00 * (1 - v) + l10 * v) * (1 - w) + (l01 * (1 - v) + l11 * v) * w;
  };
}
