import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardWriter, sliceKey, writeDicomSeries, writeVolume, type Volume } from '@covseg/io';
import { PNG } from 'pngjs';
import { writeRawNiftiFloat32 } from '../../../libs/io/src/testing/rawNifti.js';

/**
 * The bad-input corpus: every broken input, generated here, must make the CLI exit ≠ 0 with one line
 * on stderr that names the problem, and leave no output (no file, no temp file) behind.
 */
const bin = new URL('../bin/covseg.mjs', import.meta.url).pathname;
const covseg = (args: string[]) => spawnSync(process.execPath, [bin, ...args, '--quiet'], { encoding: 'utf8', timeout: 60_000 });

function ct(nz = 6, ny = 24, nx = 20): Volume {
  const data = new Int16Array(nz * ny * nx);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 1400) - 1000;
  return { data, shape: [nz, ny, nx], spacing: [2, 0.8, 0.8], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
}

describe('bad-input corpus (CLI)', () => {
  const root = mkdtempSync(join(tmpdir(), 'covseg-bad-'));
  const series = (name: string, patch?: (z: number, ds: Record<string, any>) => void, breakIt?: (dir: string) => void) => {
    const dir = join(root, name);
    writeDicomSeries(dir, ct(), { uidSeed: name, patchSlice: patch });
    breakIt?.(dir);
    return dir;
  };
  const files = (d: string) => readdirSync(d).sort();
  const corpus: [string, () => string[], RegExp][] = [
    ['truncated DICOM', () => ['lungmask', series('trunc', undefined, (d) => { const f = join(d, files(d)[2]); writeFileSync(f, readFileSync(f).subarray(0, 400)); })], /slice-0002\.dcm: .*truncated/],
    ['zero-byte DICOM', () => ['lungmask', series('zero', undefined, (d) => writeFileSync(join(d, files(d)[1]), ''))], /slice-0001\.dcm: zero-byte DICOM file/],
    ['MR modality', () => ['lungmask', series('mr', (z, ds) => (ds.Modality = 'MR'))], /modality is MR, not CT/],
    ['missing slice', () => ['lungmask', series('gap', undefined, (d) => rmSync(join(d, files(d)[3])))], /missing slice: gap of 4\.00 mm/],
    ['one-slice volume', () => ['lungmask', series('one', undefined, (d) => files(d).slice(1).forEach((f) => rmSync(join(d, f))))], /single 2D image/],
    ['mixed sizes', () => ['lungmask', series('sizes', (z, ds) => { if (z === 2) { ds.Rows = 23; ds.PixelData = new Uint16Array(23 * 20).buffer; } })], /mixed image sizes/],
    ['not HU', () => ['lungmask', series('nohu', (z, ds) => (ds.RescaleIntercept = 0))], /not Hounsfield units/],
    ['NaN/Inf NIfTI', () => { const v = ct(); const f = Float32Array.from(v.data); f[5] = NaN; const p = join(root, 'nan.nii.gz'); writeRawNiftiFloat32(p, f, v.shape); return ['lungmask', p]; }, /nan\.nii\.gz: 1 voxel\(s\) are NaN or Inf/],
    ['missing input', () => ['lungmask', join(root, 'nope.nii.gz')], /nope\.nii\.gz: no such file/],
    ['garbage NIfTI', () => { const p = join(root, 'junk.nii.gz'); writeFileSync(p, 'not a volume'); return ['lungmask', p]; }, /junk\.nii\.gz: unreadable volume/],
    ['non-DICOM file in a series folder', () => ['lungmask', series('stray', undefined, (d) => writeFileSync(join(d, 'slice-0099.dcm'), 'scanner notes, not an image'))], /slice-0099\.dcm: not a DICOM file/],
    ['two series in one folder', () => {
      const a = series('two-a');
      const b = series('two-b');
      for (const f of files(b)) renameSync(join(b, f), join(a, `b-${f}`));
      return ['lungmask', a];
    }, /folder holds 2 series, 6 slices each.*--series/],
    ['huge spacing', () => { const v = ct(); const p = join(root, 'huge.nii.gz'); writeRawNiftiFloat32(p, Float32Array.from(v.data), v.shape, [500, 0.8, 0.8]); return ['lungmask', p]; }, /huge\.nii\.gz: implausible z \(slice\) spacing 500 mm/],
    ['4D NIfTI', () => { const v = ct(); const p = join(root, 'fourd.nii.gz'); const d = Float32Array.from({ length: 2 * v.data.length }, (_, i) => v.data[i % v.data.length]); writeRawNiftiFloat32(p, d, v.shape, [2, 0.8, 0.8], 2); return ['lungmask', p]; }, /fourd\.nii\.gz: expected a 3D volume, got 4 dimensions/],
    ['label values outside 0–4', () => {
      const v = ct();
      const labels = new Uint8Array(v.data.length).fill(1);
      labels[17] = 7;
      const pred = join(root, 'pred7.nii.gz'), truth = join(root, 'truth7.nii.gz');
      writeRawNiftiFloat32(pred, Float32Array.from(labels), v.shape, [2, 0.8, 0.8]);
      writeRawNiftiFloat32(truth, Float32Array.from(labels, (x) => (x > 4 ? 1 : x)), v.shape, [2, 0.8, 0.8]);
      return ['evaluate', '--pred', pred, '--truth', truth];
    }, /pred7\.nii\.gz: label value 7 at voxel index 17 is outside 0–4/],
    ['config typo', () => { const p = join(root, 'typo.json'); writeFileSync(p, JSON.stringify({ lungmask: { airThresholdHU: -300 } })); return ['lungmask', join(root, 'nope.nii.gz'), '--config', p]; }, /unknown key lungmask\.airThresholdHU/],
    ['config wrong type', () => ['lungmask', join(root, 'nope.nii.gz'), '--set', 'features.workers="two"'], /features\.workers: .*expected number/i],
  ];

  for (const [what, args, message] of corpus) {
    it(`${what}: exit ≠ 0, one line naming the problem, no output`, () => {
      const outDir = join(root, `out-${what.replace(/\W+/g, '-')}`);
      mkdirSync(outDir, { recursive: true });
      const r = covseg([...args(), '--out', join(outDir, 'mask.nii.gz')]);
      expect(r.status).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^covseg: /);
      expect(lines[0]).toMatch(message);
      expect(readdirSync(outDir)).toEqual([]);
    });
  }

  it('corrections for unknown slices: exit ≠ 0, one line naming the file, shard store untouched', () => {
    const shards = join(root, 'shards');
    const w = new ShardWriter(shards);
    w.add({ key: sliceKey('case-1', 3), caseId: 'case-1', sliceIndex: 3, height: 4, width: 4, spacing: [1, 1], image: new Int16Array(16).fill(-800), label: new Uint8Array(16).fill(1) });
    w.close();
    const before = readdirSync(shards).map((f) => readFileSync(join(shards, f), 'hex'));
    const png = new PNG({ width: 4, height: 4 });
    png.data.fill(255);
    const from = join(root, 'fix');
    mkdirSync(from, { recursive: true });
    writeFileSync(join(from, `${sliceKey('case-9', 3)}.png`), PNG.sync.write(png));
    const r = covseg(['import-corrections', '--shards', shards, '--from', from]);
    expect(r.status).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/case-9_z0003\.png: unknown slice key 'case-9_z0003'/);
    expect(readdirSync(shards).map((f) => readFileSync(join(shards, f), 'hex'))).toEqual(before);
  });

  it('a full disk (300 kB tmpfs): exit ≠ 0, one line naming the file, no file left behind', (ctx) => {
    const mnt = join(root, 'tmpfs');
    mkdirSync(mnt);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=300k', 'tmpfs', mnt]).status === 0;
    if (!mounted) return ctx.skip('cannot mount a tmpfs here (needs root): disk-full case not run');
    try {
      const r = covseg(['phantom', '--out', join(mnt, 'ph'), '--cases', '2']);
      expect(r.status).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^covseg: .*image\.nii\.gz: write failed \(disk full/);
      const left = spawnSync('find', [mnt, '-type', 'f'], { encoding: 'utf8' }).stdout.trim();
      expect(left).toBe('');
    } finally {
      spawnSync('umount', [mnt]);
    }
  });

  it('an unwritable output location: exit ≠ 0, earlier output intact', async () => {
    const dir = join(root, 'ro');
    mkdirSync(dir);
    const ctFile = join(dir, 'ct.nii.gz');
    await writeVolume(ctFile, ct(12, 64, 64));
    writeFileSync(join(dir, 'file'), 'a file, not a folder');
    const r = covseg(['lungmask', ctFile, '--out', join(dir, 'file', 'mask.nii.gz')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('a file, not a folder');
    expect(existsSync(join(dir, 'file', 'mask.nii.gz'))).toBe(false);
  });
});
