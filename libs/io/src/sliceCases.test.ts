import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { writeDicomSeries } from './dicomWrite.js';
import { ingestCohort } from './ingest.js';
import { readVolume } from './readVolume.js';
import { scanSliceSources } from './sliceCases.js';
import { defaultConfigSection } from './configFile.js';
import { ingestConfigSchema } from './config.js';
import { IDENTITY_DIRECTION } from './volume.js';

const ingest = ingestConfigSchema.parse(defaultConfigSection('ingest'));
const SBU = new URL('../../../../shared/data/covid19-ny-sbu-dicom/', import.meta.url).pathname;

/** A folder of unrelated slices: one DICOM slice (with padding), a gray PNG, a JPG and a corrupt JPG. */
function sliceFolder(): string {
  const d = mkdtempSync(join(tmpdir(), 'covseg-2d-'));
  const data = Int16Array.from({ length: 8 * 6 }, (_, i) => (i === 0 ? -3024 : -1000 + 40 * i));
  const dcm = join(d, 'dicom');
  writeDicomSeries(dcm, { data, shape: [1, 8, 6], spacing: [2.5, 0.7, 0.8], origin: [0, 0, 0], direction: [...IDENTITY_DIRECTION] }, { uidSeed: 'slice-test', patientName: 'SENTINEL^NAME' });
  const png = new PNG({ width: 4, height: 3 });
  for (let i = 0; i < 12; i++) png.data.set([i * 20, i * 20, i * 20, 255], 4 * i);
  writeFileSync(join(d, 'img-a.png'), PNG.sync.write(png));
  const rgba = new Uint8Array(8 * 8 * 4).map((_, i) => (i % 4 === 3 ? 255 : 255));
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
    expect(byId.get('img_b')!.huRange).toEqual([275, 275]);
    const dicom = cases.find((c) => c.source.endsWith('.dcm') || c.source.includes('dicom'))!;
    expect(dicom.status).toBe('ok');
    expect(dicom.spacing).toEqual([2.5, 0.7, 0.8]);
    expect(dicom.huRange).toEqual([-1024, -1000 + 40 * 47]);
    const broken = cases.find((c) => c.source.endsWith('broken.jpg'))!;
    expect(broken.status).toBe('error');
    expect(broken.error).toMatch(/broken\.jpg.*JPG|JPG.*broken\.jpg/);
    expect(readdirSync(join(out, 'volumes'))).toHaveLength(3); // nothing written for the broken picture
    expect(JSON.stringify(cases)).not.toContain('SENTINEL');
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
  });
});
