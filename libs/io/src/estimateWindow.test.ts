import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { ingestConfigSchema } from './config.js';
import { defaultConfigSection } from './configFile.js';
import { estimateWindow } from './estimateWindow.js';
import { readSliceCase } from './sliceCases.js';
import { chestSliceHu, windowToGray } from './testing/chestSlice.js';
import type { HuWindow } from './window.js';

const ingest = ingestConfigSchema.parse(defaultConfigSection('ingest'));
const auto = ingest.autoWindow;
const SBU = new URL('../../../../shared/data/covid19-ny-sbu-dicom/', import.meta.url).pathname;

/** Round trip through a baseline JPEG at `quality` (block artefacts, ringing beside clipped regions). */
function jpegRoundTrip(gray: Uint8Array, width: number, height: number, quality = 75): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  gray.forEach((g, i) => rgba.set([g, g, g, 255], 4 * i));
  const back = jpeg.decode(jpeg.encode({ data: rgba, width, height }, quality).data, { useTArray: true, formatAsRGBA: true });
  return Uint8Array.from({ length: width * height }, (_, i) => back.data[4 * i]);
}

const [NY, NX] = [160, 192];
const windows: HuWindow[] = [
  { low: -1000, high: 200 },
  { low: -1250, high: 250 },
  { low: -1350, high: 150 },
  { low: -1024, high: 300 },
];

describe('estimateWindow (--window auto) on synthetic slices of known HU', () => {
  for (const w of windows)
    for (const crop of [false, true])
      it(`[${w.low}, ${w.high}], JPEG q75${crop ? ', body cut by the image edges' : ''}: low and high within 60 HU and within 2 sd`, () => {
        const hu = chestSliceHu(NY, NX, { seed: `${w.low}`, bodyHalfWidth: crop ? 0.6 : 0.46 });
        const e = estimateWindow(jpegRoundTrip(windowToGray(hu, w), NX, NY), NX, NY, auto);
        expect(Math.abs(e.low - w.low)).toBeLessThanOrEqual(60);
        expect(Math.abs(e.high - w.high)).toBeLessThanOrEqual(60);
        expect(Math.abs(e.low - w.low)).toBeLessThanOrEqual(2 * e.sdLow);
        expect(Math.abs(e.high - w.high)).toBeLessThanOrEqual(2 * e.sdHigh);
        expect(e.landmarks.map((l) => l.tissue)).toEqual(expect.arrayContaining(['lung', 'fat', 'softTissue']));
        // each landmark sits where the phantom's tissue falls in the true window (± 3 gray levels)
        const phantomHu = { air: -1000, lung: -850, fat: -100, softTissue: 40 };
        for (const l of e.landmarks) expect(Math.abs(l.gray - (255 * (phantomHu[l.tissue] - w.low)) / (w.high - w.low))).toBeLessThanOrEqual(3);
        expect(e.sdLow).toBeGreaterThan(0);
      });

  it('outside air is a landmark when unclipped, and not when the window clips it to 0 (with JPEG ringing)', () => {
    const hu = chestSliceHu(NY, NX, { seed: 'air' });
    const open = estimateWindow(windowToGray(hu, { low: -1250, high: 250 }), NX, NY, auto);
    expect(open.clipped.low).toBe(false);
    const air = open.landmarks.find((l) => l.tissue === 'air')!;
    expect(air.gray).toBeCloseTo((255 * 250) / 1500, 0); // -1000 HU in [-1250, 250]
    const clipped = estimateWindow(jpegRoundTrip(windowToGray(hu, { low: -1024, high: 300 }), NX, NY), NX, NY, auto);
    expect(clipped.clipped.low).toBe(true);
    expect(clipped.landmarks.map((l) => l.tissue)).not.toContain('air');
    expect(Math.min(...clipped.landmarks.map((l) => l.gray))).toBeGreaterThan(auto.clipMarginGray);
  });

  it('the clipped bright end (bone at 255, ringing at 250–254) is never a landmark', () => {
    const hu = chestSliceHu(NY, NX, { seed: 'bone', boneHu: 1500 });
    const gray = jpegRoundTrip(windowToGray(hu, { low: -1100, high: 100 }), NX, NY, 60);
    const e = estimateWindow(gray, NX, NY, auto);
    expect(e.clipped.high).toBe(true);
    expect(Math.max(...e.landmarks.map((l) => l.gray))).toBeLessThan(255 - auto.clipMarginGray);
    expect(Math.abs(e.high - 100)).toBeLessThanOrEqual(60);
  });

  it('a fit that disagrees (lung opacified to -700 HU) still covers the true window within 2 sd', () => {
    const w = { low: -1250, high: 250 };
    const e = estimateWindow(windowToGray(chestSliceHu(NY, NX, { seed: 'ggo', lungHu: -700 }), w), NX, NY, auto);
    expect(Math.abs(e.low - w.low)).toBeLessThanOrEqual(2 * e.sdLow);
    expect(Math.abs(e.high - w.high)).toBeLessThanOrEqual(2 * e.sdHigh);
    // the lung landmark, if kept, shows the disagreement in its residual: it looks ≈ 130 HU brighter than assumed
    const lung = e.landmarks.find((l) => l.tissue === 'lung');
    if (lung) expect(lung.residualHu).toBeGreaterThan(60);
  });

  it('a picture without tissue peaks is refused naming the file', () => {
    const flat = Uint8Array.from({ length: 64 * 64 }, (_, i) => i % 256);
    expect(() => estimateWindow(flat, 64, 64, auto, 'flat.png')).toThrow(/flat\.png: --window auto: no two consistent tissue landmarks/);
    expect(() => estimateWindow(flat, 64, 65, auto, 'x.png')).toThrow(/64×65 has 4096 pixels/);
  });
});

describe.skipIf(!existsSync(SBU))('estimateWindow on real CT slices windowed in the test (needs ../shared/data/covid19-ny-sbu-dicom; skipped when absent)', () => {
  it('14 axial lung slices × 7 windows, cropped to the body, JPEG q75: median error ≤ 35 HU, ≥ 85 % within 2 sd', async () => {
    const files: string[] = [];
    const walk = (d: string): void => readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.dcm') && files.push(join(d, e.name))));
    walk(SBU);
    const lungSlices = files.filter((f) => f.includes('_axial_') && !/A027284|A058062|A062055/.test(f)); // those three patients' slices are abdomen
    expect(lungSlices).toHaveLength(14);
    const trial: HuWindow[] = [...windows, { low: -1200, high: 300 }, { low: -1400, high: 200 }, { low: -1100, high: 100 }];
    const errors: number[] = [], within: boolean[] = [];
    let refused = 0;
    for (const f of lungSlices) {
      const { volume } = await readSliceCase(f, ingest);
      const [, ny, nx] = volume.shape;
      let [y0, y1, x0, x1] = [ny, 0, nx, 0];
      for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if (volume.data[y * nx + x] > -400) [y0, y1, x0, x1] = [Math.min(y0, y), Math.max(y1, y), Math.min(x0, x), Math.max(x1, x)];
      const m = Math.round(0.04 * (x1 - x0)); // trim the skin, and the table below the body
      [x0, x1, y0, y1] = [x0 + m, x1 - m, y0 + m, y1 - 3 * m];
      const [w0, h0] = [x1 - x0 + 1, y1 - y0 + 1];
      const hu = Float64Array.from({ length: w0 * h0 }, (_, i) => volume.data[(y0 + Math.floor(i / w0)) * nx + x0 + (i % w0)]);
      for (const w of trial) {
        try {
          const e = estimateWindow(jpegRoundTrip(windowToGray(hu, w), w0, h0), w0, h0, auto);
          errors.push(Math.abs(e.low - w.low), Math.abs(e.high - w.high));
          within.push(Math.abs(e.low - w.low) <= 2 * e.sdLow, Math.abs(e.high - w.high) <= 2 * e.sdHigh);
        } catch {
          refused++;
        }
      }
    }
    const sorted = [...errors].sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1];
    const coverage = within.filter(Boolean).length / within.length;
    console.log(`auto window on 14 real slices × 7 windows: ${errors.length / 2} estimated, ${refused} refused, median |error| ${median} HU, ${(100 * coverage).toFixed(0)} % within 2 sd`);
    expect(refused).toBeLessThanOrEqual(5);
    expect(median).toBeLessThanOrEqual(35);
    expect(coverage).toBeGreaterThanOrEqual(0.85);
  });
});
