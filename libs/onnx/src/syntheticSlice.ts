import { createRng } from '@covseg/io';
/** HU values of the synthetic slice's tissues (typical chest CT values). */
const HU = { air: -1000, lung: -860, softTissue: 40, bone: 700, vessel: 40, ggo: -550, consolidation: 20 } as const;
/** Image noise standard deviation, HU. */
const NOISE_SD_HU = 25;

/**
 * A phantom-like axial chest slice in HU (size × size, row-major): body, two lungs with vessels,
 * a ground-glass blob and a consolidation, spine, Gaussian noise. Shapes vary with the seed.
 */
export function syntheticCtSlice(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const rnd = () => rng.next();
  const u = (lo: number, hi: number) => lo + (hi - lo) * rnd();
  const img = new Float32Array(size * size);
  const c = size / 2;
  const body = { rx: size * u(0.4, 0.46), ry: size * u(0.3, 0.38) };
  const lungs = [-1, 1].map((side) => ({ cx: c + side * size * u(0.17, 0.21), cy: c - size * 0.02, rx: size * u(0.12, 0.15), ry: size * u(0.2, 0.25) }));
  const disks = (n: number, lo: number, hi: number) =>
    Array.from({ length: n }, () => {
      const l = lungs[Math.floor(rnd() * 2)];
      return { x: l.cx + u(-0.6, 0.6) * l.rx, y: l.cy + u(-0.6, 0.6) * l.ry, r: size * u(lo, hi) };
    });
  const vessels = disks(12, 0.006, 0.02);
  const [ggo] = disks(1, 0.05, 0.08);
  const [cons] = disks(1, 0.02, 0.04);
  const inEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
  const inDisk = (x: number, y: number, d: { x: number; y: number; r: number }) => (x - d.x) ** 2 + (y - d.y) ** 2 <= d.r ** 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let v: number = HU.air;
      if (inEllipse(x, y, c, c, body.rx, body.ry)) {
        v = HU.softTissue;
        if (inEllipse(x, y, c, c + body.ry * 0.75, size * 0.04, size * 0.04)) v = HU.bone;
        for (const l of lungs) {
          if (!inEllipse(x, y, l.cx, l.cy, l.rx, l.ry)) continue;
          v = HU.lung;
          if (inDisk(x, y, ggo)) v = HU.ggo;
          if (inDisk(x, y, cons)) v = HU.consolidation;
          if (vessels.some((d) => inDisk(x, y, d))) v = HU.vessel;
        }
      }
      // Box–Muller noise
      const g = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
      img[y * size + x] = v + NOISE_SD_HU * g;
    }
  }
  return img;
}
