import { createRng } from '../random.js';
import type { HuWindow } from '../window.js';

/** Tissue values (HU) and noise of the synthetic chest slice. */
export interface ChestSliceOptions {
  seed: number | string;
  /** Aerated lung, HU (healthy ≈ -850). */
  lungHu?: number;
  /** Subcutaneous fat, HU. */
  fatHu?: number;
  /** Muscle / mediastinum / vessels, HU. */
  softTissueHu?: number;
  /** Outside air, HU. */
  airHu?: number;
  /** Vertebral body (a disk behind the mediastinum), HU: clipped to 255 by a lung window. */
  boneHu?: number;
  /** Gaussian noise sd, HU. */
  noiseHu?: number;
  /** Body half-width as a fraction of the image width (> 0.5: the body is cut by the left/right edges, no air there). */
  bodyHalfWidth?: number;
}

/**
 * A synthetic axial chest slice in HU (ny×nx, row-major): outside air, a body ellipse of soft tissue with a
 * subcutaneous fat ring, a vertebral body, two lung ellipses with vessels, seeded Gaussian noise, then a 3×3 box
 * blur (partial volume).
 */
export function chestSliceHu(ny: number, nx: number, o: ChestSliceOptions): Float64Array {
  const rng = createRng(`chest-slice:${o.seed}`);
  const [lungHu, fatHu, softHu, airHu, boneHu, noise] = [o.lungHu ?? -850, o.fatHu ?? -100, o.softTissueHu ?? 40, o.airHu ?? -1000, o.boneHu ?? 700, o.noiseHu ?? 20];
  const bw = o.bodyHalfWidth ?? 0.46;
  const cy = ny / 2, cx = nx / 2;
  const raw = new Float64Array(ny * nx);
  const vessels = Array.from({ length: 24 }, () => ({ y: rng.uniform(0.25, 0.75) * ny, x: rng.uniform(0.1, 0.9) * nx, r: rng.uniform(0.8, 2.5) }));
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      const body = ((y - cy) / (0.42 * ny)) ** 2 + ((x - cx) / (bw * nx)) ** 2;
      const lung = (dx: number) => ((y - cy) / (0.3 * ny)) ** 2 + ((x - cx - dx) / (0.17 * nx)) ** 2 < 1;
      let hu = airHu;
      if (body < 1) hu = body > 0.78 ? fatHu : softHu;
      if (((y - 0.72 * ny) / (0.08 * ny)) ** 2 + ((x - cx) / (0.07 * nx)) ** 2 < 1) hu = boneHu;
      if (lung(-0.22 * nx) || lung(0.22 * nx)) hu = vessels.some((v) => (y - v.y) ** 2 + (x - v.x) ** 2 < v.r ** 2) ? softHu : lungHu;
      raw[y * nx + x] = hu + noise * rng.normal();
    }
  const out = new Float64Array(ny * nx);
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      let s = 0, n = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy, xx = x + dx;
          if (yy >= 0 && yy < ny && xx >= 0 && xx < nx) (s += raw[yy * nx + xx]), n++;
        }
      out[y * nx + x] = s / n;
    }
  return out;
}

/** HU → 8-bit gray through a window with clipping at both ends, as a viewer's export does: g = round(255·(hu − low)/(high − low)). */
export function windowToGray(hu: ArrayLike<number>, w: HuWindow): Uint8Array {
  const out = new Uint8Array(hu.length);
  for (let i = 0; i < hu.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(((hu[i] - w.low) / (w.high - w.low)) * 255)));
  return out;
}
