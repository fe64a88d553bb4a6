import type { LabelVolume, Volume } from '@covseg/io';
import type { Segmenter } from '../segmenter.js';

/** Test helper: a segmenter that returns the given label volume's slices, in order, as one-hot probabilities. */
export function truthSegmenter(truth: LabelVolume, name = 'truth'): Segmenter {
  const [nz, ny, nx] = truth.shape;
  let z = 0;
  return {
    name,
    inputSize: [ny, nx],
    window: [-1024, 300],
    async predict(_batch, n, h, w) {
      if (h !== ny || w !== nx) throw new Error('truthSegmenter needs inputSize = slice size');
      const px = h * w;
      const out = new Float32Array(n * 5 * px);
      for (let k = 0; k < n; k++, z = (z + 1) % nz) for (let i = 0; i < px; i++) out[(k * 5 + truth.data[z * px + i]) * px + i] = 1;
      return out;
    },
  };
}

/** Test helper: an oblique-free but non-identity geometry (flipped x, shifted origin) with anisotropic spacing. */
export function testGeometry(shape: [number, number, number]) {
  return { shape, spacing: [2.5, 0.75, 0.8] as [number, number, number], origin: [100, -50, 20] as [number, number, number], direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1] };
}

/** Test helper: a CT with lung (−850 HU) in a box and two box lesions (GGO −500, consolidation 20) plus labels. */
export function boxPhantom(shape: [number, number, number] = [8, 40, 48]): { image: Volume; label: LabelVolume } {
  const g = testGeometry(shape);
  const [nz, ny, nx] = shape;
  const data = new Int16Array(nz * ny * nx).fill(40);
  const lab = new Uint8Array(nz * ny * nx);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = x + nx * (y + ny * z);
        if (y < 4 || y >= ny - 4 || x < 4 || x >= nx - 4) continue;
        const ggo = z >= 1 && z < 4 && y >= 8 && y < 14 && x >= 6 && x < 16; // 3 × 6 × 10 = 180 voxels
        const cons = z >= 2 && z < 7 && y >= 20 && y < 30 && x >= 30 && x < 40; // 5 × 10 × 10 = 500 voxels
        const vessel = !ggo && !cons && x === 24;
        [data[i], lab[i]] = ggo ? [-500, 2] : cons ? [20, 3] : vessel ? [60, 4] : [-850, 1];
      }
  return { image: { ...g, data }, label: { ...g, data: lab } };
}
