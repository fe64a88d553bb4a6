import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDicomSeries, readDicomSlice, readSliceCase, readVolume, TRANSFER_SYNTAXES, defaultConfigSection, ingestConfigSchema } from './index.js';

// Fixtures and GDCM's decoding of them: tools/fixtures/make_dicom_fixtures.sh
const FIXTURES = new URL('../test/dicom-syntaxes/', import.meta.url).pathname;
const P001 = new URL('../../../../shared/data/covid-ct-md/P001', import.meta.url).pathname;
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as {
  series: Record<string, { transferSyntax: string; shape: [number, number, number]; reference: string }>;
  p001: { file: string; sliceIndex: number; transferSyntax: string; shape: [number, number]; reference: string }[];
};
const int16 = (buf: Buffer) => new Int16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
const tmp = () => mkdtempSync(join(tmpdir(), 'covseg-syntax-'));

/** Index and count of the voxels where `got` differs from `want` (first index −1 when equal). */
function firstDifference(got: ArrayLike<number>, want: ArrayLike<number>): { at: number; count: number } {
  let at = -1, count = 0;
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) (at < 0 ? (at = i) : 0), count++;
  return { at, count };
}

describe('DICOM transfer syntaxes (against GDCM)', () => {
  it('has a fixture for every transfer syntax covseg reads', () => {
    const covered = new Set(Object.values(reference.series).map((s) => s.transferSyntax));
    expect([...covered].sort()).toEqual(Object.keys(TRANSFER_SYNTAXES).sort());
  });

  for (const [name, ref] of Object.entries(reference.series)) {
    it(`${name} (${ref.transferSyntax}): the same HU as GDCM, voxel for voxel`, async () => {
      const dir = join(FIXTURES, name);
      expect(readDicomSlice(join(dir, readdirSync(dir)[0]), false).transferSyntax).toBe(ref.transferSyntax);
      const v = await readVolume(dir);
      expect(v.shape).toEqual(ref.shape);
      expect(firstDifference(v.data, int16(readFileSync(join(FIXTURES, ref.reference))))).toEqual({ at: -1, count: 0 });
      expect(v.spacing).toEqual([2, 0.75, 0.7]);
    });
  }

  it('2D mode reads one compressed file as a slice (the first plane of its series)', async () => {
    const ref = reference.series['jpeg2000-lossless'];
    const plane = ref.shape[1] * ref.shape[2];
    const { volume } = await readSliceCase(join(FIXTURES, 'jpeg2000-lossless', 'slice-0000.dcm'), { ...ingestConfigSchema.parse(defaultConfigSection('ingest')), minHu: -1024 });
    expect(volume.shape).toEqual([1, ref.shape[1], ref.shape[2]]);
    expect(firstDifference(volume.data, int16(readFileSync(join(FIXTURES, ref.reference))).subarray(0, plane))).toEqual({ at: -1, count: 0 });
  });

  it('a truncated compressed slice is a one-line error naming that file', async () => {
    const dir = tmp();
    for (const f of readdirSync(join(FIXTURES, 'jpeg-lossless-sv1'))) copyFileSync(join(FIXTURES, 'jpeg-lossless-sv1', f), join(dir, f));
    const f = join(dir, 'slice-0001.dcm');
    const b = readFileSync(f);
    // cut into the JPEG stream (a stream zeroed in place decodes to garbage without an error: GDCM cannot tell)
    writeFileSync(f, b.subarray(0, b.length - 500));
    const err = await readVolume(dir).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/slice-0001\.dcm: compressed pixel data does not decode \(corrupt or truncated\)$/);
    expect(err?.message).not.toMatch(/\n/);
  });

  it('an unsupported transfer syntax is refused by name', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 's'));
    for (const f of readdirSync(join(FIXTURES, 'jpeg-lossless-sv1'))) {
      const b = readFileSync(join(FIXTURES, 'jpeg-lossless-sv1', f));
      // a same-length UID swap in the file meta header keeps the file parseable: .4.77 is no syntax covseg reads
      writeFileSync(join(dir, 's', f), Buffer.from(b.toString('latin1').replace('1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.4.77'), 'latin1'));
    }
    await expect(readVolume(join(dir, 's'))).rejects.toThrow(/slice-0000\.dcm: transfer syntax 1\.2\.840\.10008\.1\.2\.4\.77 is not supported \(covseg reads: .*JPEG 2000.*\)$/);
  });

  it('P001 (COVID-CT-MD, JPEG Lossless): slices equal GDCM’s decoding', async (ctx) => {
    if (!existsSync(P001)) return ctx.skip(`shared data absent (${P001})`);
    const v = await readDicomSeries(P001);
    expect(v.shape).toEqual([148, 512, 512]);
    // the origin is the lowest slice's position (the files' name order is not their position order)
    expect(v.origin).toEqual([-172.1259765625, -328.1259765625, -346.1]);
    expect(v.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const plane = 512 * 512;
    for (const r of reference.p001) {
      const z = v.files.findIndex((f) => f.endsWith(`/${r.file}`));
      // the label CSV runs from the most superior slice down; the volume runs up along the slice normal
      expect(z).toBe(147 - r.sliceIndex);
      const want = int16(gunzipSync(readFileSync(join(FIXTURES, r.reference))));
      expect(firstDifference(v.data.subarray(z * plane, (z + 1) * plane), want)).toEqual({ at: -1, count: 0 });
    }
  });
});
