/** Separable Gaussian blur of a (z,y,x) Float32 volume in place; σ in voxels per axis [σz, σy, σx] (nearest edges). */
export function gaussianBlurInPlace(v: Float32Array, shape: [number, number, number], sigma: [number, number, number]): void {
  const [nz, ny, nx] = shape;
  const strides = [nx * ny, nx, 1];
  const lens = [nz, ny, nx];
  for (let axis = 0; axis < 3; axis++) {
    const s = sigma[axis];
    if (s <= 0 || lens[axis] < 2) continue;
    const r = Math.max(1, Math.ceil(3 * s));
    const w = Float64Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-0.5 * ((i - r) / s) ** 2));
    const sum = w.reduce((a, b) => a + b, 0);
    for (let i = 0; i < w.length; i++) w[i] /= sum;
    const n = lens[axis], st = strides[axis];
    const line = new Float32Array(n);
    const total = nz * ny * nx;
    for (let base = 0; base < total; base++) {
      // visit each line once: its first voxel has coordinate 0 along `axis`
      if (Math.floor(base / st) % n !== 0) continue;
      for (let i = 0; i < n; i++) line[i] = v[base + i * st];
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let k = -r; k <= r; k++) {
          const j = i + k < 0 ? 0 : i + k >= n ? n - 1 : i + k;
          acc += w[k + r] * line[j];
        }
        v[base + i * st] = acc;
      }
    }
  }
}
