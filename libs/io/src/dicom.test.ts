import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readVolume, writeDicomSeries, writeFloatVolume, huRange, type Volume } from './index.js';
import { writeRawNiftiFloat32 } from './testing/rawNifti.js';

const shared = new URL('../../../../shared/', import.meta.url).pathname;
const tmp = () => mkdtempSync(join(tmpdir(), 'covseg-dicom-'));

function ctVolume(nz = 5, ny = 12, nx = 10): Volume {
  const data = new Int16Array(nz * ny * nx);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 2000) - 1000;
  return { data, shape: [nz, ny, nx], spacing: [2.5, 0.7, 0.8], origin: [-10, 20, -30], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
}

describe('DICOM series', () => {
  it('writes and reads back the same HU array, spacing and origin, whatever the file order', async () => {
    const v = ctVolume();
    const dir = join(tmp(), 's');
    const files = writeDicomSeries(dir, v, { uidSeed: 't1' });
    expect(files).toHaveLength(5);
    // shuffle the names so that name order ≠ position order (x0.dcm is slice 3)
    const shuffled = join(tmp(), 'shuffled');
    mkdirSync(shuffled);
    files.forEach((f, i) => copyFileSync(f, join(shuffled, `x${(i * 3 + 1) % 5}.dcm`)));
    for (const d of [dir, shuffled]) {
      const r = await readVolume(d);
      expect(r.shape).toEqual(v.shape);
      expect(Array.from(r.data)).toEqual(Array.from(v.data));
      r.spacing.forEach((s, i) => expect(s).toBeCloseTo(v.spacing[i], 6));
      expect(r.origin).toEqual(v.origin); // the lowest slice's position, whatever file comes first by name
    }
  });

  it('reads a shuffled copy in position order', async () => {
    const v = ctVolume();
    const files = writeDicomSeries(join(tmp(), 's'), v, { uidSeed: 't2' });
    const shuffled = tmp();
    files.forEach((f, i) => copyFileSync(f, join(shuffled, `x${(i * 3) % 5}.dcm`)));
    writeFileSync(join(shuffled, 'README.txt'), 'not a DICOM file: skipped');
    const r = await readVolume(shuffled);
    expect(Array.from(r.data)).toEqual(Array.from(v.data));
  });

  it('picks the series with most slices when a folder holds two', async () => {
    const v = ctVolume(6);
    const dir = join(tmp(), 's');
    writeDicomSeries(dir, v, { uidSeed: 't3', patchSlice: (z, ds) => (z >= 4 ? (ds.SeriesInstanceUID = '1.2.3.4') : undefined) });
    const r = await readVolume(dir);
    expect(r.shape[0]).toBe(4);
    await expect(readVolume(dir, { series: '9.9.9' })).rejects.toThrow(/series 9\.9\.9 not found \(folder has 2 series\)/);
  });

  const broken: [string, (dir: string) => void, RegExp][] = [
    ['a truncated file', (d) => { const f = join(d, readdirSync(d)[2]); const b = readFileSync(f); writeFileSync(f, b.subarray(0, b.length - 50)); }, /slice-0002\.dcm: .*(truncated|expected)/],
    ['a zero-byte file', (d) => writeFileSync(join(d, readdirSync(d)[1]), ''), /slice-0001\.dcm: zero-byte DICOM file/],
    ['a missing slice', (d) => rmSync(join(d, readdirSync(d)[2])), /missing slice: gap of 5\.00 mm between slice-0001\.dcm and slice-0003\.dcm/],
    ['a single slice', (d) => readdirSync(d).slice(1).forEach((f) => rmSync(join(d, f))), /single 2D image \(10×12\).*2D mode, --2d/],
  ];
  for (const [what, breakIt, msg] of broken) {
    it(`rejects ${what} with a message naming it`, async () => {
      const dir = join(tmp(), 's');
      writeDicomSeries(dir, ctVolume(), { uidSeed: 'b' });
      breakIt(dir);
      await expect(readVolume(dir)).rejects.toThrow(msg);
    });
  }

  it('rejects a non-CT modality, mixed sizes, mixed orientations and non-HU values', async () => {
    const mk = (patch: (z: number, ds: Record<string, any>) => void) => {
      const dir = join(tmp(), 's');
      writeDicomSeries(dir, ctVolume(), { uidSeed: 'p', patchSlice: patch });
      return dir;
    };
    await expect(readVolume(mk((z, ds) => (ds.Modality = 'MR')))).rejects.toThrow(/slice-0000\.dcm: modality is MR, not CT/);
    await expect(readVolume(mk((z, ds) => { if (z === 3) { ds.Rows = 11; ds.PixelData = new Uint16Array(110).buffer; } }))).rejects.toThrow(/mixed image sizes in series: 10×11 in slice-0003\.dcm/);
    await expect(readVolume(mk((z, ds) => { if (z === 2) ds.ImageOrientationPatient = [0, 1, 0, 0, 0, -1]; }))).rejects.toThrow(/mixed orientations in series: slice-0002\.dcm/);
    await expect(readVolume(mk((z, ds) => (ds.RescaleIntercept = 0)))).rejects.toThrow(/not Hounsfield units: minimum is 24 /);
  });

  it('rejects NaN/Inf voxels and 2D NIfTI where a volume is needed', async () => {
    const d = tmp();
    const v = ctVolume();
    const f = Float32Array.from(v.data);
    f[17] = NaN;
    f[40] = Infinity;
    writeRawNiftiFloat32(join(d, 'nan.nii.gz'), f, v.shape); // itk-wasm's writer would turn NaN into 0
    await expect(readVolume(join(d, 'nan.nii.gz'))).rejects.toThrow(/nan\.nii\.gz: 2 voxel\(s\) are NaN or Inf \(first at voxel index 17\)/);
    await writeFloatVolume(join(d, 'flat.nii.gz'), { ...v, shape: [1, 12, 10], data: f.subarray(0, 120).map((x) => (Number.isFinite(x) ? x : 0)) });
    await expect(readVolume(join(d, 'flat.nii.gz'))).rejects.toThrow(/flat\.nii\.gz: a single 2D image \(10×12\); a volume needs at least 2 slices \(single slices: 2D mode, --2d or ingest\.dimensions = '2d'\)/);
    writeFileSync(join(d, 'junk.nii.gz'), 'garbage');
    await expect(readVolume(join(d, 'junk.nii.gz'))).rejects.toThrow(/junk\.nii\.gz: unreadable volume/);
    await expect(readVolume(join(d, 'none.nii.gz'))).rejects.toThrow(/none\.nii\.gz: no such file/);
  });
});

describe('real DICOM from ../shared/data', () => {
  const sbu = join(shared, 'data/covid19-ny-sbu-dicom/A002304/19001231_axial_series2');
  it('reads a real axial CT slice with plausible HU and header spacing', async () => {
    if (!existsSync(sbu)) return console.warn('skipped: ../shared/data absent');
    await expect(readVolume(sbu)).rejects.toThrow(/single 2D image/);
    const v = await readVolume(sbu, { allow2D: true });
    expect(v.shape).toEqual([1, 512, 512]);
    expect(v.spacing[1]).toBeCloseTo(0.826172, 5);
    const sorted = Array.from(v.data).filter((x) => x > -1100).sort((a, b) => a - b); // padding outside the FOV is -3024
    const p1 = sorted[Math.floor(sorted.length * 0.01)];
    expect(p1).toBeGreaterThan(-1060);
    expect(p1).toBeLessThan(-960); // air ≈ -1000 HU
    expect(huRange(v.data)[0]).toBe(-3024);
  });

  it('stacks the 2-slice LIDC series with 1 mm spacing from ImagePositionPatient', async () => {
    const lidc = join(shared, 'data/chest-ct-volumes/lidc-2slice-dicom');
    if (!existsSync(lidc)) return console.warn('skipped: ../shared/data absent');
    const v = await readVolume(lidc);
    expect(v.shape).toEqual([2, 512, 512]);
    expect(v.spacing[0]).toBeCloseTo(1, 6);
    expect(v.spacing[1]).toBeCloseTo(0.625, 6);
  });
});
