import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The shared read-only data folder (real CT, not in the repo): `../shared` from the repo root. */
export const SHARED = resolve(fileURLToPath(new URL('../../..', import.meta.url)), '..', 'shared');
/** scikit-image 0.19.3 reference outputs on a synthetic phantom, committed gzipped (fixtures3d/README.md; made by fixtures3d/make_fixtures.py). */
export const FIXTURES = fileURLToPath(new URL('./fixtures3d/', import.meta.url));
/** Always true in a checkout (the fixtures are committed); false only in a copy without them, which then fails loudly below. */
export const haveFixtures = existsSync(join(FIXTURES, 'ct.i16.gz'));
if (!haveFixtures) throw new Error(`features tests: ${FIXTURES} is missing — the parity fixtures are part of the repo`);

/** Fixture shape (z, y, x). */
export const FIXTURE_SHAPE = [48, 64, 64] as const;

/** Reads a raw little-endian fixture array. */
export function readFixture(name: string): Float32Array | Int16Array | Uint8Array {
  const buf = gunzipSync(readFileSync(join(FIXTURES, `${name}.gz`)));
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  if (name.endsWith('.f32')) return new Float32Array(ab);
  if (name.endsWith('.i16')) return new Int16Array(ab);
  return new Uint8Array(ab);
}

/** The fixture CT as float32 HU (what every skimage call received). */
export const fixtureCt = () => Float32Array.from(readFixture('ct.i16'));

/** Max |a-b| over voxels at least `margin` voxels from every face, and Pearson r over all voxels. */
export function compare(a: ArrayLike<number>, b: ArrayLike<number>, shape: readonly [number, number, number], margin = 0) {
  const [nz, ny, nx] = shape;
  let maxAbs = 0, lo = Infinity, hi = -Infinity;
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  const n = a.length;
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        const u = a[i], v = b[i];
        sa += u; sb += v; saa += u * u; sbb += v * v; sab += u * v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (z < margin || y < margin || x < margin || z >= nz - margin || y >= ny - margin || x >= nx - margin) continue;
        maxAbs = Math.max(maxAbs, Math.abs(u - v));
      }
  const cov = sab / n - (sa / n) * (sb / n);
  const r = cov / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
  return { maxAbs, range: hi - lo, pearson: r };
}
