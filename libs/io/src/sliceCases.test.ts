import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { writeDicomSeries } from './dicomWrite.js';
import { ingestCohort } from './ingest.js';
import { readVolume } from './readVolume.js';
import { scanSliceSources, type SliceWindow } from './sliceCases.js';
import { chestSliceHu, windowToGray } from './testing/chestSlice.js';
import { grayToHu, type HuWindow } from './window.js';
import { readGrayImage } from './grayImage.js';
import { defaultConfigSection } from './configFile.js';
import { ingestConfigSchema } from './config.js';
import { IDENTITY_DIRECTION } from './volume.js';

const ingest = ingestConfigSchema.parse(defaultConfigSection('ingest'));
const SBU = new URL('../../../../shared/data/covid19-ny-sbu-dicom/', import.meta.url).pathname;

/** HU of the synthetic DICOM slice (8×6): -3024 padding in the first pixel (signed storage, as GE writes it), then -960, -920, … */
const DICOM_HU = Int16Array.from({ length: 8 * 6 }, (_, i) => (i === 0 ? -3024 : -1000 + 40 * i));

/** One signed 16-bit DICOM slice (intercept 0) holding DICOM_HU, with the given modality, in `dir`. */
function writeDicomSlice(dir: string, modality: string): string {
  const geometry = { data: new Int16Array(DICOM_HU.length), shape: [1, 8, 6] as [number, number, number], spacing: [2.5, 0.7, 0.8] as [number, number, number], origin: [0, 0, 0] as [number, number, number], direction: [...IDENTITY_DIRECTION] };
  const patch = (_z: number, ds: Record<string, unknown>) => Object.assign(ds, { Modality: modality, PixelRepresentation: 1, RescaleIntercept: 0, PixelData: DICOM_HU.slice().buffer });
  return writeDicomSeries(dir, geometry, { uidSeed: `slice-test-${modality}`, patientName: 'SENTINEL^NAME', patchSlice: patch })[0];
}

/** A gray PNG file of `gray` values (width×height). */
function writeGrayPng(file: string, gray: Uint8Array, width: number, height: number): void {
  const png = new PNG({ width, height });
  gray.forEach((g, i) => png.data.set([g, g, g, 255], 4 * i));
  writeFileSync(file, PNG.sync.write(png));
}

/** A folder of unrelated slices: one DICOM slice (with padding), a gray PNG, a JPG and a corrupt JPG. */
function sliceFolder(): string {
  const d = mkdtempSync(join(tmpdir(), 'covseg-2d-'));
  writeDicomSlice(join(d, 'dicom'), 'CT');
  const png = new PNG({ width: 4, height: 3 });
  for (let i = 0; i < 12; i++) png.data.set([i * 20, i * 20, i * 20, 255], 4 * i);
  writeFileSync(join(d, 'img-a.png'), PNG.sync.write(png));
  const rgba = new Uint8Array(8 * 8 * 4).map((_, i) => (i % 4 === 3 ? 255 : 128));
  writeFileSync(join(d, 'img b.jpg'), jpeg.encode({ data: rgba, width: 8, height: 8 }, 100).data);
  writeFileSync(join(d, 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2]));
  return d;
}

describe('2D mode: every slice file is a case', () => {
  it('scans DICOM files, pictures (id = file stem) and skips other files', () => {
    const d = sliceFolder();
    writeFileSync(join(d, 'notes.txt'), 'not an image');
    const s = scanSliceSources([d]);
    expect(s.map((c) => c.id).filter((id) => !/^c[0-9a-f]{10}$/.test(id))).toEqual(['broken', 'img_b', 'img-a']);
    expect(s).toHaveLength(4); // broken.jpg, the DICOM slice, img b.jpg, img-a.png; not notes.txt
    expect(scanSliceSources([d], '\\.png$').map((c) => c.id)).toEqual(['img-a']);
  });

  it('ingests each as a 1-slice HU NIfTI: DICOM padding clamped, pictures through the window; a corrupt JPG is an error naming it', async () => {
    const d = sliceFolder();
    const out = join(d, 'out');
    const cases = await ingestCohort([d], out, { ...ingest, series: undefined, dimensions: '2d', window: [-1000, 275], quiet: true });
    const byId = new Map(cases.map((c) => [c.id, c]));
    const png = byId.get('img-a')!;
    expect(png.status).toBe('ok');
    expect(png.shape).toEqual([1, 3, 4]);
    expect(png.window).toEqual({ kind: 'given', low: -1000, high: 275 });
    const v = await readVolume(png.image!, { allow2D: true });
    expect(Array.from(v.data.slice(0, 3))).toEqual([-1000, -1000 + 20 * 5, -1000 + 40 * 5]); // g·1275/255 = 5 HU per gray level
    expect(byId.get('img_b')!.huRange).toEqual([-360, -360]); // gray 128 → -1000 + 128·5
    expect(png.original).toEqual({ name: 'img-a.png', bytes: statSync(join(d, 'img-a.png')).size });
    const dicom = cases.find((c) => c.source.endsWith('.dcm'))!;
    expect(dicom.status).toBe('ok');
    expect(dicom.id).toMatch(/^c[0-9a-f]{10}$/);
    expect(dicom.shape).toEqual([1, 8, 6]);
    expect(dicom.spacing).toEqual([2.5, 0.7, 0.8]);
    expect(dicom.huRange).toEqual([-1024, -1000 + 40 * 47]);
    expect(dicom.window).toBeUndefined();
    const dv = await readVolume(dicom.image!, { allow2D: true });
    expect(Array.from(dv.data.slice(0, 4))).toEqual([-1024, -960, -920, -880]); // -3024 padding clamped to ingest.minHu
    const broken = cases.find((c) => c.source.endsWith('broken.jpg'))!;
    expect(broken.status).toBe('error');
    expect(broken.error).toMatch(/broken\.jpg.*JPG|JPG.*broken\.jpg/);
    expect(readdirSync(join(out, 'volumes'))).toHaveLength(3); // nothing written for the broken picture
    expect(JSON.stringify(cases)).not.toContain('SENTINEL');
  });

  it('a non-CT DICOM slice is an error naming it; the other cases carry on', async () => {
    const d = mkdtempSync(join(tmpdir(), 'covseg-2d-mr-'));
    const mr = writeDicomSlice(join(d, 'mr'), 'MR');
    writeDicomSlice(join(d, 'ct'), 'CT');
    const cases = await ingestCohort([d], join(d, 'out'), { ...ingest, series: undefined, dimensions: '2d', quiet: true });
    expect(cases.map((c) => c.status).sort()).toEqual(['error', 'ok']);
    expect(cases.find((c) => c.status === 'error')!.error).toBe(`${mr}: modality is MR, not CT`);
  });

  it('picture stems that clash (also by case) fall back to hashed ids; a folder of one file works too', () => {
    const d = mkdtempSync(join(tmpdir(), 'covseg-2d-ids-'));
    mkdirSync(join(d, 'a'));
    mkdirSync(join(d, 'b'));
    const gray = new Uint8Array(12).fill(100);
    for (const f of ['a/Slice 1.png', 'b/slice 1.jpg', 'b/other.png']) writeGrayPng(join(d, f), gray, 4, 3);
    const ids = scanSliceSources([d]).map((c) => c.id);
    expect(ids.filter((id) => /^c[0-9a-f]{10}$/.test(id))).toHaveLength(2);
    expect(ids).toContain('other');
    expect(new Set(ids).size).toBe(3);
    expect(scanSliceSources([join(d, 'a', 'Slice 1.png')]).map((c) => c.id)).toEqual(['Slice_1']);
  });

  it("'auto' records the estimated window with its uncertainty and landmarks; the HU follow that window", async () => {
    const d = mkdtempSync(join(tmpdir(), 'covseg-2d-auto-'));
    const w = { low: -1250, high: 250 };
    writeGrayPng(join(d, 'chest.png'), windowToGray(chestSliceHu(120, 140, { seed: 'ingest-auto' }), w), 140, 120);
    const [c] = await ingestCohort([d], join(d, 'out'), { ...ingest, series: undefined, dimensions: '2d', window: 'auto', quiet: true });
    expect(c.status).toBe('ok');
    const est = c.window as Extract<SliceWindow, { kind: 'auto' }>;
    expect(est.kind).toBe('auto');
    expect(Math.abs(est.low - w.low)).toBeLessThanOrEqual(60);
    expect(Math.abs(est.high - w.high)).toBeLessThanOrEqual(60);
    expect(est.sdLow).toBeGreaterThan(0);
    expect(est.landmarks.map((l) => l.tissue)).toContain('lung');
    const v = await readVolume(c.image!, { allow2D: true });
    expect(v.shape).toEqual([1, 120, 140]);
    expect(v.spacing).toEqual([1, ...ingest.imageSpacingMm]);
    expect(Array.from(v.data)).toEqual(Array.from(grayToHu(readGrayImage(join(d, 'chest.png')).data, est)));
  });

  it("ingest with autoWindowScope 'folder': every picture of a folder gets the one pooled window, near the truth", async () => {
    const w = { low: -1150, high: 200 };
    const d = mkdtempSync(join(tmpdir(), 'covseg-pool-'));
    for (let k = 0; k < 4; k++) writeGrayPng(join(d, `p${k}.png`), windowToGray(chestSliceHu(120, 140, { seed: 10 + k }), w), 140, 120);
    const cases = await ingestCohort([d], join(d, 'out'), { ...ingest, series: undefined, dimensions: '2d', window: 'auto', autoWindowScope: 'folder', quiet: true });
    const windows = cases.map((c) => c.window!);
    expect(windows.every((x) => x.kind === 'auto-folder')).toBe(true);
    expect(new Set(windows.map((x) => `${(x as HuWindow).low},${(x as HuWindow).high}`)).size).toBe(1);
    expect(Math.abs((windows[0] as HuWindow).low - w.low)).toBeLessThanOrEqual(60);
    expect(Math.abs((windows[0] as HuWindow).high - w.high)).toBeLessThanOrEqual(60);
  });

  it("autoWindowScope 'picture': a picture without landmarks of its own falls back to its folder's pooled window, with a note", async () => {
    const w = { low: -1150, high: 200 };
    const d = mkdtempSync(join(tmpdir(), 'covseg-fallback-'));
    for (let k = 0; k < 3; k++) writeGrayPng(join(d, `p${k}.png`), windowToGray(chestSliceHu(120, 140, { seed: 20 + k }), w), 140, 120);
    writeGrayPng(join(d, 'flat.png'), new Uint8Array(120 * 140).fill(90), 140, 120); // one gray level: no landmarks
    const notes: string[] = [];
    const cases = await ingestCohort([d], join(d, 'out'), { ...ingest, series: undefined, dimensions: '2d', window: 'auto', autoWindowScope: 'picture', quiet: true, onNote: (f, n) => notes.push(`${f}: ${n}`) });
    expect(cases.map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const flat = cases.find((c) => c.source.endsWith('flat.png'))!.window as Extract<SliceWindow, { kind: 'auto-folder' }>;
    expect(flat.kind).toBe('auto-folder');
    expect(flat.fallback).toMatch(/no two consistent tissue landmarks/);
    expect(flat.pictures).toBe(3);
    expect(Math.abs(flat.low - w.low)).toBeLessThanOrEqual(60);
    expect(cases.filter((c) => c.window!.kind === 'auto')).toHaveLength(3); // the others keep their own window
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/flat\.png: no window of its own .*pooled window \[-1\d{3}, \d+\] HU from 3 picture/);
  });

  it('pictures without a window are refused with a hint', async () => {
    const d = sliceFolder();
    const cases = await ingestCohort([join(d, 'img-a.png')], join(d, 'out'), { ...ingest, series: undefined, dimensions: '2d', window: null, quiet: true });
    expect(cases[0].error).toMatch(/no HU: set a window/);
  });

  it.skipIf(!existsSync(SBU))('real single-slice DICOM files (COVID-19-NY-SBU): 20 axial cases, padding clamped to -1024 HU', async () => {
    const out = mkdtempSync(join(tmpdir(), 'covseg-sbu-'));
    mkdirSync(out, { recursive: true });
    const cases = await ingestCohort([SBU], out, { ...ingest, series: undefined, dimensions: '2d', include: '_axial_', quiet: true });
    expect(cases).toHaveLength(20);
    expect(cases.every((c) => c.status === 'ok' && c.shape![0] === 1 && c.huRange![0] === -1024)).toBe(true);
    // header geometry of one slice (index.tsv: 0.826172 mm pixels, 2.5 mm thick); the id is a path hash, not the patient ID
    const one = cases.find((c) => c.source.includes('A002304/19001231_axial'))!;
    expect([one.shape, one.spacing!.map((x) => +x.toFixed(6))]).toEqual([[1, 512, 512], [2.5, 0.826172, 0.826172]]);
    expect(cases.every((c) => /^c[0-9a-f]{10}$/.test(c.id))).toBe(true);
  });
});
