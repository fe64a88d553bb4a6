import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfigSection, readDicomSlice, readLabelVolume, ShardWriter, sliceKey, writeDicomSeries, writeVolume, type Volume } from '@covseg/io';
import { generatePhantomCase, phantomConfigSchema } from '@covseg/phantom';
import { PNG } from 'pngjs';
import { writeRawNiftiFloat32 } from '../../../libs/io/src/testing/rawNifti.js';
import { dicomElements } from './fuzz/mutate.js';
import { gzipSync } from 'node:zlib';

/**
 * The bad-input corpus: every broken input, generated here, must make the CLI exit ≠ 0 with one line
 * on stderr that names the problem, and leave no output (no file, no temp file) behind.
 */
const bin = new URL('../bin/covseg.mjs', import.meta.url).pathname;
const covseg = (args: string[]) => spawnSync(process.execPath, [bin, ...args, '--quiet'], { encoding: 'utf8', timeout: 110_000 }); // generous: a loaded machine

/** Every file under `dir` (recursive), relative, sorted, with the SHA-256 of its bytes: a snapshot to compare. */
const snapshot = (dir: string) =>
  Object.fromEntries((readdirSync(dir, { recursive: true }) as string[]).sort().map((f) => [f, statSync(join(dir, f)).isDirectory() ? '<dir>' : createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));

/**
 * Runs `fn` on a tmpfs of `size` mounted at a fresh folder (a small disk that fills up), unmounted
 * afterwards; false when no tmpfs can be mounted here (not root): the caller skips with a message.
 */
function withTmpfs(root: string, name: string, size: string, fn: (mnt: string) => void): boolean {
  const mnt = join(root, name);
  mkdirSync(mnt);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mnt]).status !== 0) return false;
  try {
    fn(mnt);
  } finally {
    spawnSync('umount', [mnt]);
  }
  return true;
}

/** Fills the file system of `dir` with a filler file until `leave` bytes are free. */
function fillDisk(dir: string, leave: number): void {
  const st = statfsSync(dir);
  writeFileSync(join(dir, 'filler'), Buffer.alloc(Math.max(0, st.bavail * st.bsize - leave)));
}

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
    ['NIfTI with an unknown datatype (999)', () => {
      const p = join(root, 'dtype.nii');
      writeRawNiftiFloat32(p, Float32Array.from(ct().data), ct().shape, [2, 0.8, 0.8]);
      const b = readFileSync(p);
      b.writeInt16LE(999, 70); // datatype: none of NIfTI's codes
      writeFileSync(p, b);
      return ['lungmask', p];
    }, /^covseg: \S+dtype\.nii: unreadable volume: nifti_convert_nhdr2nim: bad datatype$/],
    // found by the fuzz campaign (npm run fuzz): each was a crash before its fix
    ['DICOM element with a damaged VR (dcmjs used to print "Invalid vr type")', () => ['lungmask', series('vr', undefined, (d) => {
      const f = join(d, files(d)[2]);
      const b = readFileSync(f);
      const sop = dicomElements(b).find((e) => e.group === 0x0008 && e.element === 0x0018)!; // SOPInstanceUID
      b.write('\0\0', sop.offset + 4, 'latin1');
      writeFileSync(f, b);
    })], /slice-0002\.dcm: (unreadable DICOM file|DICOM file has no image|element \(0008,0018\) has no valid VR)/],
    ['DICOM pixel data of length FFFFFFFF in a native transfer syntax (dcmjs said "undefined binary length")', () => ['lungmask', series('undeflen', undefined, (d) => {
      const f = join(d, files(d)[2]);
      const b = readFileSync(f);
      const pixel = dicomElements(b).find((e) => e.group === 0x7fe0 && e.element === 0x0010)!;
      b.writeUInt32LE(0xffffffff, pixel.lengthOffset);
      writeFileSync(f, b);
    })], /^covseg: \S+slice-0002\.dcm: unreadable DICOM file \(truncated or corrupt\): Item tag not found after length FFFFFFFF \(unspecified\)$/],
    ['DICOM Columns with a damaged VR (read as NaN)', () => ['lungmask', series('cols', undefined, (d) => {
      const f = join(d, files(d)[4]);
      const b = readFileSync(f);
      const cols = dicomElements(b).find((e) => e.group === 0x0028 && e.element === 0x0011)!;
      b.write('XX', cols.offset + 4, 'latin1');
      writeFileSync(f, b);
    })], /slice-0004\.dcm: image size .* is not two positive integers/],
    ['.nii.gz with a damaged gzip stream', () => {
      const p = join(root, 'cut.nii.gz');
      writeRawNiftiFloat32(p, Float32Array.from(ct().data), ct().shape, [2, 0.8, 0.8]);
      const z = readFileSync(p);
      writeFileSync(p, Buffer.concat([z.subarray(0, 200), Buffer.alloc(64, 0xa5), z.subarray(264)]));
      return ['lungmask', p];
    }, /cut\.nii\.gz: unreadable volume: damaged gzip stream/],
    ['config "extends" naming nothing', () => { const p = join(root, 'ext.json'); writeFileSync(p, JSON.stringify({ extends: '' })); return ['lungmask', join(root, 'nope.nii.gz'), '--config', p]; }, /ext\.json: "extends" must name a config file, got ""/],
    ['config "extends" naming a missing file', () => { const p = join(root, 'ext2.json'); writeFileSync(p, JSON.stringify({ extends: 'defaults.json' })); return ['lungmask', join(root, 'nope.nii.gz'), '--config', p]; }, /ext2\.json: "extends": no such config file \S+defaults\.json$/],
    ['--set reaching an object prototype', () => ['lungmask', join(root, 'nope.nii.gz'), '--set', 'features.__proto__.x=1'], /--set: 'features\.__proto__\.x' is not a config key path/],
    ['features over the memory budget', () => {
      // noise has no lungs: an imported all-lung mask lets the budget check, not the lung mask, speak
      const v = ct(12, 64, 64); const p = join(root, 'budget.nii.gz'), m = join(root, 'budget-lung.nii.gz');
      writeRawNiftiFloat32(p, Float32Array.from(v.data), v.shape, [2, 0.8, 0.8]);
      writeRawNiftiFloat32(m, new Float32Array(v.data.length).fill(1), v.shape, [2, 0.8, 0.8]);
      return ['features', p, '--lung-mask', m, '--region', 'all', '--set', 'features.memoryBudgetMb=1'];
    },
      /budget\.nii\.gz: features of this 12×64×64 volume need about \d+ MB .*over the memory budget of 1 MB/],
    ['non-DICOM file in a series folder', () => ['lungmask', series('stray', undefined, (d) => writeFileSync(join(d, 'slice-0099.dcm'), 'scanner notes, not an image'))], /slice-0099\.dcm: not a DICOM file/],
    ['two series in one folder', () => {
      const a = series('two-a');
      const b = series('two-b');
      for (const f of files(b)) renameSync(join(b, f), join(a, `b-${f}`));
      return ['lungmask', a];
    }, /folder holds 2 series, 6 slices each.*--series/],
    ['huge spacing', () => { const v = ct(); const p = join(root, 'huge.nii.gz'); writeRawNiftiFloat32(p, Float32Array.from(v.data), v.shape, [500, 0.8, 0.8]); return ['lungmask', p]; }, /huge\.nii\.gz: implausible z \(slice\) spacing 500 mm/],
    ['4D NIfTI', () => { const v = ct(); const p = join(root, 'fourd.nii.gz'); const d = Float32Array.from({ length: 2 * v.data.length }, (_, i) => v.data[i % v.data.length]); writeRawNiftiFloat32(p, d, v.shape, [2, 0.8, 0.8], 2); return ['lungmask', p]; }, /fourd\.nii\.gz: expected a 3D volume, got 4 dimensions/],
    ['2D NIfTI', () => {
      const p = join(root, 'flat.nii');
      writeRawNiftiFloat32(p, Float32Array.from(ct(1).data), [1, 24, 20], [1, 0.8, 0.8]);
      const b = readFileSync(p);
      b.writeInt16LE(2, 40); // dim[0] = 2: a 2D image
      writeFileSync(p, b);
      return ['lungmask', p];
    }, /flat\.nii: a single 2D image \(20×24\)/],
    ['huge pixel spacing (1e6 mm)', () => { const v = ct(); const p = join(root, 'wide.nii.gz'); writeRawNiftiFloat32(p, Float32Array.from(v.data), v.shape, [2, 1e6, 0.8]); return ['lungmask', p]; }, /wide\.nii\.gz: implausible y \(row\) spacing 1000000 mm/],
    ['huge slice spacing in a DICOM series (500 mm)', () => ['lungmask', series('far', (z, ds) => (ds.ImagePositionPatient = [0, 0, 500 * z]))], /far: implausible z \(slice\) spacing 500 mm/],
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

  it('a JPG that breaks the decoder itself (fuzz seed 1, case 113): one line naming it, the cohort records the failure', () => {
    const out = join(root, 'out-jpg113');
    const r = covseg(['ingest', new URL('../test/fixtures/fuzz-seed1-case113.jpg', import.meta.url).pathname, '--2d', '--window', '-1350,150', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^covseg: fuzz-seed1-case113: \S+fuzz-seed1-case113\.jpg: unreadable JPG \(truncated or corrupt\)$/);
    expect(readdirSync(out)).toEqual(['cohort.jsonl']);
    expect(JSON.parse(readFileSync(join(out, 'cohort.jsonl'), 'utf8')).status).toBe('error');
  });

  // a damaged shard index (found by the fuzz campaign): refused in one line naming index.json, nothing written
  const damagedIndex: [string, (idx: any) => void, RegExp][] = [
    ['classCounts null', (idx) => (idx.slices[0].classCounts = null), /index\.json: corrupt index\.json: slices\[0\] \(case-1_z0003\)\.classCounts are not 5 pixel counts summing to 4×4$/],
    ['an offset past the shard', (idx) => (idx.slices[0].offset = 1e308), /index\.json: corrupt index\.json: slices\[0\] \(case-1_z0003\): 48 bytes at offset 1e\+308 run past the end of shard-00000\.bin/],
    ['no shard number', (idx) => delete idx.slices[0].shard, /index\.json: corrupt index\.json: slices\[0\] \(case-1_z0003\)\.shard missing is not one of the 1 shard\(s\)/],
    ['a shard file outside the store', (idx) => (idx.shards[0].file = '../../etc/passwd'), /index\.json: corrupt index\.json: shards\[0\]\.file is "\.\.\/\.\.\/etc\/passwd", expected shard-00000\.bin/],
  ];
  for (const [what, damage, message] of damagedIndex) {
    it(`a shard index.json with ${what}: review exits ≠ 0 with one line naming index.json, writes nothing`, () => {
      const dir = join(root, `idx-${what.replace(/\W+/g, '-')}`);
      const shards = store(join(dir, 'shards'));
      const idx = JSON.parse(readFileSync(join(shards, 'index.json'), 'utf8'));
      damage(idx);
      writeFileSync(join(shards, 'index.json'), JSON.stringify(idx));
      const r = covseg(['review', '--shards', shards, '--out', join(dir, 'review')]);
      expect(r.status).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(existsSync(join(dir, 'review'))).toBe(false);
    });
  }

  // import-corrections: a bad correction file is refused before anything is written
  const store = (dir: string) => {
    const w = new ShardWriter(dir);
    w.add({ key: sliceKey('case-1', 3), caseId: 'case-1', sliceIndex: 3, height: 4, width: 4, spacing: [1, 1], image: new Int16Array(16).fill(-800), label: new Uint8Array(16).fill(1) });
    w.close();
    return dir;
  };
  const png = (value: number) => {
    const p = new PNG({ width: 4, height: 4 });
    for (let i = 0; i < 16; i++) p.data.set([1, 1, 1, 255], 4 * i);
    p.data.set([value, value, value, 255], 4 * 6);
    return PNG.sync.write(p);
  };
  const corrections: [string, (from: string) => void, RegExp][] = [
    ['corrections for unknown slices', (from) => writeFileSync(join(from, `${sliceKey('case-9', 3)}.png`), png(1)), /case-9_z0003\.png: unknown slice key 'case-9_z0003'/],
    ['a correction PNG with label value 7', (from) => writeFileSync(join(from, `${sliceKey('case-1', 3)}.png`), png(7)), /case-1_z0003\.png: pixel \(x=2, y=1\) has value 7: expected a label value 0–4/],
    ['a correction NIfTI with label value 7', (from) => {
      const labels = new Float32Array(4 * 4 * 4).fill(1);
      labels[3 * 16 + 5] = 7;
      writeRawNiftiFloat32(join(from, 'case-1.nii.gz'), labels, [4, 4, 4]);
    }, /case-1\.nii\.gz: label value 7 at voxel index 53 is outside 0–4/],
  ];
  for (const [what, write, message] of corrections) {
    it(`${what}: exit ≠ 0, one line naming the file and value, shard store untouched`, () => {
      const dir = join(root, `fix-${what.replace(/\W+/g, '-')}`);
      const shards = store(join(dir, 'shards'));
      const before = snapshot(shards);
      mkdirSync(join(dir, 'from'));
      write(join(dir, 'from'));
      const r = covseg(['import-corrections', '--shards', shards, '--from', join(dir, 'from')]);
      expect(r.status).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(snapshot(shards)).toEqual(before);
    });
  }

  // inputs that are read, with a note on stderr saying what was left out
  const phantomCt = (nz: number, seed: string) => generatePhantomCase({ ...phantomConfigSchema.parse(defaultConfigSection('phantom')), shape: [nz, 64, 64], spacing: [2.5, 1.2, 1.2] }, seed).image;
  const twoSizes = () => {
    const d = join(root, 'two-sizes');
    if (existsSync(d)) return d;
    writeDicomSeries(d, phantomCt(10, 'big'), { uidSeed: 'big' });
    writeDicomSeries(join(root, 'two-sizes-b'), phantomCt(8, 'small'), { uidSeed: 'small' });
    for (const f of readdirSync(join(root, 'two-sizes-b'))) renameSync(join(root, 'two-sizes-b', f), join(d, `b-${f}`));
    return d;
  };
  const noted: [string, () => string[], RegExp, number][] = [
    ['a non-DICOM file (notes.txt) in a series folder', () => {
      const d = join(root, 'notes');
      writeDicomSeries(d, phantomCt(8, 'notes'), { uidSeed: 'notes' });
      writeFileSync(join(d, 'notes.txt'), 'scanner notes, not an image');
      return ['lungmask', d];
    }, /^covseg lungmask: note: \S+notes: skipped 1 file\(s\) that are not DICOM \(notes\.txt\)$/, 8],
    ['two series of different sizes in one folder', () => ['lungmask', twoSizes()],
      /^covseg lungmask: note: \S+two-sizes: folder holds 2 series: read \S+ \(10 slices, the largest\), ignored \S+ \(8 slice\(s\)\); choose another with --series$/, 10],
    ['two series, the smaller chosen with --series', () => {
      const d = twoSizes();
      return ['lungmask', d, '--series', readDicomSlice(join(d, readdirSync(d).find((f) => f.startsWith('b-'))!), false).seriesUid];
    }, /^covseg lungmask: note: \S+two-sizes: folder holds 2 series: read \S+ \(8 slices, as asked\), ignored \S+ \(10 slice\(s\)\)/, 8],
  ];
  for (const [what, args, message, slices] of noted) {
    it(`${what}: read (exit 0), one note on stderr naming what was left out`, async () => {
      const out = join(root, `out-${what.replace(/\W+/g, '-')}`, 'mask.nii.gz');
      const r = covseg([...args(), '--out', out]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.status).toBe(0);
      expect((await readLabelVolume(out)).shape[0]).toBe(slices);
    });
  }

  // a full disk: tmpfs mounts need root; without it these cases are skipped with a message
  const noTmpfs = 'cannot mount a tmpfs here (needs root): disk-full case not run';
  const tmpFiles = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /(^|\/)\.tmp-/.test(f));

  it('a full disk while writing volumes (300 kB tmpfs): exit ≠ 0, one line naming the file, no file left behind', (ctx) => {
    const ran = withTmpfs(root, 'tmpfs', '300k', (mnt) => {
      const r = covseg(['phantom', '--out', join(mnt, 'ph'), '--cases', '2']);
      expect(r.status).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^covseg: .*image\.nii\.gz: write failed \(disk full/);
      const left = spawnSync('find', [mnt, '-type', 'f'], { encoding: 'utf8' }).stdout.trim();
      expect(left).toBe('');
    });
    if (!ran) ctx.skip(noTmpfs);
  });

  it('a full disk while writing the shard store (100 kB tmpfs): exit ≠ 0, one line naming the shard file, no shard file left', (ctx) => {
    const ph = join(root, 'ph-small');
    expect(covseg(['phantom', '--out', ph, '--cases', '2', '--shape', '12,64,64']).status).toBe(0);
    const kmeans = join(root, 'km', 'kmeans.json');
    expect(covseg(['cluster', '--cohort', ph, '--lung-from-label', '--out', kmeans, '--set', 'cluster.sampleVoxels=5000']).status).toBe(0);
    const ran = withTmpfs(root, 'tmpfs-shards', '100k', (mnt) => {
      const out = join(mnt, 'pl');
      const r = covseg(['pseudolabel', '--cohort', ph, '--lung-from-label', '--kmeans', kmeans, '--out', out, '--slices', '20']);
      expect(r.status).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^covseg: \S+\/pl\/shards\/shard-00000\.bin: write failed \(disk full, ENOSPC\)$/);
      expect(existsSync(join(out, 'shards'))).toBe(false); // no partial store
      expect(tmpFiles(mnt)).toEqual([]);
      expect(readdirSync(join(out, 'labels')).filter((f) => f.endsWith('.nii.gz'))).toHaveLength(2); // finished cases stay: a rerun reuses them
    });
    if (!ran) ctx.skip(noTmpfs);
  });

  it('a full disk during import-corrections (2 shards, room for 1): exit ≠ 0, one line naming the shard, the store as before', (ctx) => {
    const grey = (w: number, h: number, value: number) => {
      const p = new PNG({ width: w, height: h });
      for (let i = 0; i < w * h; i++) p.data.set([value, value, value, 255], 4 * i);
      return PNG.sync.write(p);
    };
    const from = join(root, 'fix-full');
    mkdirSync(from);
    const ran = withTmpfs(root, 'tmpfs-fix', '300k', (mnt) => {
      const shards = join(mnt, 'shards');
      const w = new ShardWriter(shards, { maxShardBytes: 1000 }); // a 768-byte shard, then a 12 kB one
      for (const [z, n] of [[0, 16], [1, 64]]) {
        w.add({ key: sliceKey('case-1', z), caseId: 'case-1', sliceIndex: z, height: n, width: n, spacing: [1, 1], image: new Int16Array(n * n).fill(-800), label: new Uint8Array(n * n).fill(1) });
        writeFileSync(join(from, `${sliceKey('case-1', z)}.png`), grey(n, n, 2));
      }
      expect(w.close().shards).toHaveLength(2);
      const before = snapshot(shards);
      fillDisk(mnt, 8192); // room for the small shard's rewrite, not the big one's
      const r = covseg(['import-corrections', '--shards', shards, '--from', from]);
      expect(r.status).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^covseg: \S+shard-0000[01]\.bin: write failed \(disk full, ENOSPC\)$/);
      expect(snapshot(shards)).toEqual(before);
    });
    if (!ran) ctx.skip(noTmpfs);
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
