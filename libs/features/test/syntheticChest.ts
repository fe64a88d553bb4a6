import { IDENTITY_DIRECTION, type LabelVolume, type Volume } from '@covseg/io';

/**
 * A small chest CT with exact labels for lung-mask tests (libs/features may not import libs/phantom):
 * body cylinder in air, two ellipsoid lungs nearly touching at the midline, a trachea splitting into two
 * bronchi, vessels, and a consolidation against the chest wall. Labels as docs/labels.md (0 bg, 1 lung, 3 cons, 4 vessels).
 */
export function syntheticChest(shape: [number, number, number] = [40, 96, 96], spacing: [number, number, number] = [2, 0.8, 0.8]): { image: Volume; label: LabelVolume } {
  const [nz, ny, nx] = shape;
  const [sz, sy, sx] = spacing;
  const data = new Int16Array(nz * ny * nx);
  const label = new Uint8Array(data.length);
  const cx = (nx - 1) / 2 * sx, cy = (ny - 1) / 2 * sy, cz = (nz - 1) / 2 * sz;
  const seg = (p: number[], a: number[], b: number[]) => {
    const ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1] + (p[2] - a[2]) * ab[2]) / (ab[0] ** 2 + ab[1] ** 2 + ab[2] ** 2)));
    return Math.hypot(p[0] - a[0] - t * ab[0], p[1] - a[1] - t * ab[1], p[2] - a[2] - t * ab[2]);
  };
  const carina = [cx, cy - 4, cz + 8];
  let noise = 12345;
  const rnd = () => ((noise = (noise * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 40;
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        const p = [x * sx, y * sy, z * sz];
        let hu = -1000;
        let l = 0;
        if (((p[0] - cx) / 36) ** 2 + ((p[1] - cy) / 30) ** 2 < 1) {
          hu = 40;
          const lungR = (side: number) => ((p[0] - (cx + side * 15)) / 13) ** 2 + ((p[1] - cy) / 22) ** 2 + ((p[2] - cz) / 34) ** 2;
          const airway = seg(p, [cx, cy - 4, nz * sz + 5], carina) < 5 || seg(p, carina, [cx - 12, cy - 2, cz - 4]) < 3.2 || seg(p, carina, [cx + 12, cy - 2, cz - 4]) < 3.2;
          if (airway) hu = -1000;
          else if (lungR(-1) < 1 || lungR(1) < 1) {
            hu = -850; l = 1;
            const side = lungR(-1) < 1 ? -1 : 1;
            if (seg(p, [cx + side * 12, cy, cz + 20], [cx + side * 20, cy + 6, cz - 25]) < 1.6) (hu = 40), (l = 4);
            // consolidation at the lateral chest wall of the right lung
            if (side === 1 && Math.hypot(p[0] - (cx + 28), p[1] - cy, p[2] - cz) < 7) (hu = 20), (l = 3);
          }
        }
        data[i] = Math.round(hu + rnd());
        label[i] = l;
      }
  const geom = { shape, spacing, origin: [0, 0, 0] as [number, number, number], direction: [...IDENTITY_DIRECTION] };
  return { image: { ...geom, data }, label: { ...geom, shape: [...shape] as [number, number, number], data: label } };
}
