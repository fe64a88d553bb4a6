import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { autoWindowConfigSchema, ingestConfigSchema } from './config.js';
import { ingestCohort } from './ingest.js';
import { defaultConfigSection } from './configFile.js';
import { estimateWindow, poolWindowEstimates } from './estimateWindow.js';
import { readGrayImage } from './grayImage.js';
import { createRng } from './random.js';
import { grayToHu, parseWindow, type HuWindow } from './window.js';

const auto = autoWindowConfigSchema.parse((defaultConfigSection('ingest') as { autoWindow: unknown }).autoWindow);

/** A synthetic axial chest slice in HU (ny×nx): air, body of soft tissue with a fat ring, two lungs, vessels; seeded noise. */
function chestHu(ny: number, nx: number, seed: number, crop = 0): Float64Array {
  const rng = createRng(`window-test:${seed}`);
  const noise = (sd: number) => sd * rng.normal();
  const out = new Float64Array(ny * nx);
  const cy = ny / 2, cx = nx / 2;
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      const e = ((y - cy) / (0.42 * ny)) ** 2 + ((x - cx) / (0.46 * nx + crop)) ** 2;
      const lung = (dx: number) => ((y - cy) / (0.3 * ny)) ** 2 + ((x - cx - dx) / (0.17 * nx)) ** 2 < 1;
      const vessel = (x * 7 + y * 3) % 41 === 0 && (x + y) % 3 === 0;
      let hu = -1000 + noise(5);
      if (e < 1) hu = e > 0.8 ? -100 + noise(15) : 40 + noise(15);
      if (lung(-0.22 * nx) || lung(0.22 * nx)) hu = vessel ? 40 + noise(20) : -850 + noise(30);
      out[y * nx + x] = hu;
    }
  return out;
}

/** Windows HU into 8-bit gray with clipping, as a viewer export does. */
function windowed(hu: Float64Array, w: HuWindow): Uint8Array {
  return Uint8Array.from(hu, (v) => Math.max(0, Math.min(255, Math.round(((v - w.low) / (w.high - w.low)) * 255))));
}

describe('--window LO,HI', () => {
  it('maps 0..255 linearly and exactly: 0 → LO, 255 → HI, 51 → LO + 0.2·(HI − LO)', () => {
    const hu = grayToHu(Uint8Array.from([0, 51, 255, 128]), parseWindow('-1250,250'));
    expect(Array.from(hu)).toEqual([-1250, -950, 250, Math.round(-1250 + (128 * 1500) / 255)]);
  });
  it('refuses a malformed or inverted window', () => {
    expect(() => parseWindow('250,-1250')).toThrow(/LO < HI/);
    expect(() => parseWindow('lung')).toThrow(/LO,HI/);
  });
});

describe('--window auto', () => {
  const windows: HuWindow[] = [
    { low: -1000, high: 200 },
    { low: -1250, high: 250 },
    { low: -1350, high: 150 },
    { low: -1024, high: 300 },
  ];
  for (const w of windows)
    it(`recovers [${w.low}, ${w.high}] within 60 HU, and within 2 sd of its stated uncertainty`, () => {
      const gray = windowed(chestHu(160, 192, w.low), w);
      const e = estimateWindow({ width: 192, height: 160, data: gray }, auto);
      expect(Math.abs(e.low - w.low)).toBeLessThanOrEqual(60);
      expect(Math.abs(e.high - w.high)).toBeLessThanOrEqual(60);
      expect(Math.abs(e.low - w.low)).toBeLessThanOrEqual(2 * e.sdLow);
      expect(Math.abs(e.high - w.high)).toBeLessThanOrEqual(2 * e.sdHigh);
      expect(e.landmarks.map((l) => l.tissue)).toContain('lung');
    });

  it('a crop with both lungs cut by the image edge still recovers the window', () => {
    const w = { low: -1100, high: 250 };
    const full = chestHu(160, 192, 3, 40);
    const ny = 160, nx = 120, x0 = 36; // central crop: both lungs reach the left/right edges
    const crop = new Float64Array(ny * nx);
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) crop[y * nx + x] = full[y * 192 + x + x0];
    const e = estimateWindow({ width: nx, height: ny, data: windowed(crop, w) }, auto);
    expect(Math.abs(e.low - w.low)).toBeLessThanOrEqual(60);
    expect(Math.abs(e.high - w.high)).toBeLessThanOrEqual(60);
  });

  it("ingest with autoWindowScope 'folder': every picture of a folder gets the one pooled window, near the truth", async () => {
    const w = { low: -1150, high: 200 };
    const d = mkdtempSync(join(tmpdir(), 'covseg-pool-'));
    for (let k = 0; k < 4; k++) {
      const gray = windowed(chestHu(120, 140, 10 + k), w);
      const png = new PNG({ width: 140, height: 120 });
      gray.forEach((g, i) => png.data.set([g, g, g, 255], 4 * i));
      writeFileSync(join(d, `p${k}.png`), PNG.sync.write(png));
    }
    const ingest = ingestConfigSchema.parse(defaultConfigSection('ingest'));
    const cases = await ingestCohort([d], join(d, 'out'), { ...ingest, series: undefined, dimensions: '2d', window: 'auto', autoWindowScope: 'folder', quiet: true });
    const windows = cases.map((c) => c.window!);
    expect(windows.every((x) => x.kind === 'auto-folder')).toBe(true);
    expect(new Set(windows.map((x) => `${(x as HuWindow).low},${(x as HuWindow).high}`)).size).toBe(1);
    expect(Math.abs((windows[0] as HuWindow).low - w.low)).toBeLessThanOrEqual(60);
    expect(Math.abs((windows[0] as HuWindow).high - w.high)).toBeLessThanOrEqual(60);
  });

  it('pooling pictures of one folder: weighted mean, sd keeps the shared systematic part', () => {
    const a = { low: -1000, high: 200, sdLow: 10, sdHigh: 10, systematicSdLow: 50, systematicSdHigh: 30, landmarks: [] };
    const b = { ...a, low: -1100, high: 300, sdLow: 30, sdHigh: 30 };
    const p = poolWindowEstimates([a, b]);
    expect(p.low).toBe(Math.round((-1000 * 1 / 100 + -1100 * 1 / 900) / (1 / 100 + 1 / 900)));
    expect(p.sdLow).toBe(Math.round(Math.hypot(1 / Math.sqrt(1 / 100 + 1 / 900), 50)));
  });
});

describe('readGrayImage', () => {
  const d = mkdtempSync(join(tmpdir(), 'covseg-gray-'));
  it('reads gray PNG and JPG; refuses colour pictures, truncated JPG and empty files naming the file', () => {
    const png = new PNG({ width: 3, height: 2 });
    for (let i = 0; i < 6; i++) png.data.set([i * 40, i * 40, i * 40, 255], 4 * i);
    writeFileSync(join(d, 'g.png'), PNG.sync.write(png));
    expect(Array.from(readGrayImage(join(d, 'g.png')).data)).toEqual([0, 40, 80, 120, 160, 200]);
    const rgba = new Uint8Array(16 * 16 * 4).map((_, i) => (i % 4 === 3 ? 255 : 128));
    const jpg = jpeg.encode({ data: rgba, width: 16, height: 16 }, 95).data;
    writeFileSync(join(d, 'g.jpg'), jpg);
    const back = readGrayImage(join(d, 'g.jpg'));
    expect([back.width, back.height]).toEqual([16, 16]);
    expect(Math.abs(back.data[100] - 128)).toBeLessThanOrEqual(2);
    writeFileSync(join(d, 'cut.jpg'), jpg.subarray(0, jpg.length >> 1));
    expect(() => readGrayImage(join(d, 'cut.jpg'))).toThrow(/cut\.jpg.*|unreadable JPG/);
    const red = new PNG({ width: 4, height: 4 });
    for (let i = 0; i < 16; i++) red.data.set([255, 0, 0, 255], 4 * i);
    writeFileSync(join(d, 'red.png'), PNG.sync.write(red));
    expect(() => readGrayImage(join(d, 'red.png'))).toThrow(/colour picture/);
    writeFileSync(join(d, 'empty.png'), '');
    expect(() => readGrayImage(join(d, 'empty.png'))).toThrow(/empty file/);
  });
});
