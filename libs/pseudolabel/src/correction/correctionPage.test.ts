import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardWriter, readShardIndex, readSlice, sliceKey, type SliceRecord } from '@covseg/io';
import { reviewConfigSchema } from '../config.js';
import { defaultPseudolabelSections } from '../sections.js';
import { writeReviewPack } from '../reviewPack.js';
import { importCorrections, readCorrectionsLog } from '../importCorrections.js';
import { correctionSliceScript } from './correctionPage.js';
import { labelMapPng } from '../labelPng.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
const W = 40, H = 32; // not square: a transposed x/y would show

/** A slice: background (-1000 HU) with a lung box (-850) holding a GGO square (-500) and a vessel bar (40). */
function record(caseId: string): SliceRecord {
  const image = new Int16Array(W * H).fill(-1000);
  const label = new Uint8Array(W * H);
  for (let y = 4; y < 28; y++)
    for (let x = 4; x < 36; x++) {
      const i = y * W + x;
      const ggo = x >= 8 && x < 14 && y >= 8 && y < 14;
      const vessel = x >= 24 && x < 30 && y >= 18 && y < 21;
      image[i] = ggo ? -500 : vessel ? 40 : -850;
      label[i] = ggo ? 2 : vessel ? 4 : 1;
    }
  return { key: sliceKey(caseId, 0), caseId, sliceIndex: 0, height: H, width: W, spacing: [0.7, 0.7], image, label };
}

/** Pixels of a brush of `size` at (cx, cy): (x−cx)² + (y−cy)² ≤ ((size−1)/2)², as the page defines it. */
function disc(cx: number, cy: number, size: number): number[] {
  const r = (size - 1) / 2, out: number[] = [];
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) out.push(y * W + x);
  return out;
}
/** Pixels under a horizontal (dy = 0) or vertical stroke of brush `size` from (x0, y0) to (x1, y1). */
function stroke(x0: number, y0: number, x1: number, y1: number, size: number): number[] {
  const n = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
  return [...new Set(Array.from({ length: n + 1 }, (_, k) => disc(x0 + Math.sign(x1 - x0) * k, y0 + Math.sign(y1 - y0) * k, size)).flat())];
}

describe('correction page', () => {
  it('writes one data script per slice that round-trips the HU and labels', async () => {
    const r = record('a');
    const calls: [string, { image: string; label: string }][] = [];
    new Function('covsegSlice', correctionSliceScript(r.key, r.image, r.label))((k: string, d: { image: string; label: string }) => calls.push([k, d]));
    const { inflateRawSync } = await import('node:zlib');
    const hu = inflateRawSync(Buffer.from(calls[0][1].image, 'base64'));
    expect(calls[0][0]).toBe(r.key);
    expect(Array.from(new Int16Array(hu.buffer, hu.byteOffset, W * H))).toEqual(Array.from(r.image));
    expect(Array.from(inflateRawSync(Buffer.from(calls[0][1].label, 'base64')))).toEqual(Array.from(r.label));
  });

  it('import-corrections reads a zip of label maps; a broken or empty zip is one clear error, store untouched', async () => {
    const { zipSync } = await import('fflate');
    const { writeFileSync, readFileSync } = await import('node:fs');
    const d = mkdtempSync(join(tmpdir(), 'covseg-zip-'));
    const w = new ShardWriter(join(d, 's'));
    const r = record('z');
    w.add(r);
    w.close();
    const fixed = Uint8Array.from(r.label, (v) => (v === 4 ? 3 : v));
    writeFileSync(join(d, 'ok.zip'), zipSync({ 'sub/': new Uint8Array(0), [`sub/${r.key}.png`]: labelMapPng(fixed, W, H), 'notes.txt': new Uint8Array(3) }));
    writeFileSync(join(d, 'bad.zip'), Buffer.from('PK not really'));
    writeFileSync(join(d, 'empty.zip'), zipSync({ 'notes.txt': new Uint8Array(3) }));
    const before = readFileSync(join(d, 's', 'shard-00000.bin'));
    await expect(importCorrections(join(d, 's'), join(d, 'bad.zip'), { colourTolerance: 0 })).rejects.toThrow(/bad\.zip: not a readable zip/);
    await expect(importCorrections(join(d, 's'), join(d, 'empty.zip'), { colourTolerance: 0 })).rejects.toThrow(/empty\.zip: the zip holds no \.png label map/);
    expect(readFileSync(join(d, 's', 'shard-00000.bin'))).toEqual(before);
    const res = await importCorrections(join(d, 's'), join(d, 'ok.zip'), { colourTolerance: 0 });
    expect(res.replaced.map((c) => [c.key, c.changedPixels])).toEqual([[r.key, 18]]);
    expect(Array.from(readSlice(join(d, 's'), readShardIndex(join(d, 's')).slices[0]).label)).toEqual(Array.from(fixed));
  });

  // A real browser: paint a known stroke of each class, save the zip, import it, check exact shard pixels.
  describe.skipIf(!CHROMIUM)('in headless Chromium', () => {
    let browser: import('playwright-core').Browser;
    beforeAll(async () => {
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    });
    afterAll(async () => browser?.close());

    it('brush, eraser, fill, undo and a checked slice end up exactly in the shard store', async () => {
      const d = mkdtempSync(join(tmpdir(), 'covseg-correct-'));
      const shards = join(d, 'shards');
      const w = new ShardWriter(shards);
      const recs = ['c0', 'c1', 'c2'].map(record);
      recs.forEach((r) => w.add(r));
      w.close();
      const cfg = reviewConfigSchema.parse({ ...defaultPseudolabelSections().review, count: 3, brushSize: 3 });
      const entries = writeReviewPack(shards, join(d, 'review'), cfg);
      expect(readdirSync(join(d, 'review', 'correct')).sort()).toEqual(entries.map((e) => `${e.key}.js`).sort());

      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const requests: string[] = [];
      page.on('request', (q) => requests.push(q.url()));
      await page.goto(`file://${join(d, 'review', 'correct.html')}`);
      const target = entries[0].key;
      const checked = entries[1].key;
      await page.waitForFunction(() => (globalThis as any).covsegPage?.ready(0));
      const box = (await page.locator('#ct').boundingBox())!;
      const at = (x: number, y: number) => [box.x + ((x + 0.5) * box.width) / W, box.y + ((y + 0.5) * box.height) / H] as const;
      const drag = async (x0: number, y0: number, x1: number, y1: number) => {
        await page.mouse.move(...at(x0, y0));
        await page.mouse.down();
        await page.mouse.move(...at(x1, y1), { steps: 4 });
        await page.mouse.up();
      };
      const click = async (x: number, y: number) => {
        await page.mouse.move(...at(x, y));
        await page.mouse.down();
        await page.mouse.up();
      };
      const pixel = (x: number, y: number) => page.evaluate(([x, y]) => Array.from((globalThis as any).document.getElementById('ct').getContext('2d').getImageData(x, y, 1, 1).data as number[]), [x, y]);

      // the CT is drawn in the lung window [-1350, 150]: -1000 HU → grey 59.5; mediastinum [-160, 240] → 0
      expect(await pixel(1, 1)).toEqual([60, 60, 60, 255]);
      await page.keyboard.press('m');
      expect(await pixel(1, 1)).toEqual([0, 0, 0, 255]);
      await page.keyboard.press('l');

      const want = Uint8Array.from(recs[0].label);
      const set = (px: number[], v: number) => px.forEach((p) => (want[p] = v));
      await page.keyboard.press('b');
      await page.keyboard.press('1'); // lung: a horizontal stroke across the background at the top
      await drag(2, 1, 12, 1);
      set(stroke(2, 1, 12, 1, 3), 1);
      // io's overlay blend, inlined in the page: lung [60, 180, 75] at a third of opacity 0.45 over grey 59.5
      expect(await pixel(5, 1)).toEqual([60, 78, 62, 255]);
      await page.keyboard.press('2'); // GGO: a vertical stroke in the lung
      await drag(18, 6, 18, 15);
      set(stroke(18, 6, 18, 15, 3), 2);
      await page.keyboard.press('4'); // vessels: brush size 5, a horizontal stroke
      await page.keyboard.press(']');
      await page.keyboard.press(']');
      await drag(6, 24, 14, 24);
      set(stroke(6, 24, 14, 24, 5), 4);
      await page.keyboard.press('3'); // consolidation: fill the vessel bar (its stroke-free pixels are one component)
      await page.keyboard.press('f');
      await click(26, 19);
      for (let y = 18; y < 21; y++) for (let x = 24; x < 30; x++) want[y * W + x] = 3;
      await page.keyboard.press('e'); // eraser of GGO: the original GGO square's left column becomes lung
      await page.keyboard.press('2');
      await page.keyboard.press('[');
      await page.keyboard.press('[');
      await page.keyboard.press('[');
      await page.keyboard.press('['); // size 1
      await drag(8, 8, 8, 13);
      for (let y = 8; y < 14; y++) want[y * W + 8] = 1;
      await page.keyboard.press('b'); // a stroke that is undone: leaves no trace
      await drag(30, 10, 34, 10);
      await page.keyboard.press('Control+z');
      await page.keyboard.press('Control+y');
      await page.keyboard.press('Control+z');
      await page.keyboard.press('n'); // the next slice: checked as it is
      await page.waitForFunction(() => (globalThis as any).covsegPage?.ready(1));
      await page.keyboard.press('a');
      expect(await page.locator('#list li').allTextContents()).toEqual([`1. ${target} — edited`, `2. ${checked} — checked ✓`, `3. ${entries[2].key} — not opened`]);
      await page.screenshot({ path: join(d, 'page.png') });

      const download = page.waitForEvent('download');
      await page.keyboard.press('Control+s');
      const zip = join(d, 'corrections.zip');
      await (await download).saveAs(zip);
      expect(errors).toEqual([]);
      // everything came from disk (page + the opened slices' data scripts) or the page's own blob
      expect(requests.filter((u) => !/^(file|blob):/.test(u))).toEqual([]);
      expect(requests.filter((u) => u.endsWith('.js')).map((u) => u.split('/').pop())).toEqual([`${target}.js`, `${checked}.js`]);
      await page.close();

      const r = await importCorrections(shards, zip, { colourTolerance: 0 });
      expect(r.replaced.map((c) => c.key)).toEqual([target]);
      expect(r.unchanged).toEqual([checked]);
      const idx = readShardIndex(shards);
      const got = (key: string) => idx.slices.find((s) => s.key === key)!;
      expect(Array.from(readSlice(shards, got(target)).label)).toEqual(Array.from(want));
      expect(Array.from(readSlice(shards, got(target)).image)).toEqual(Array.from(recs[0].image));
      expect(Array.from(readSlice(shards, got(checked)).label)).toEqual(Array.from(recs[1].label));
      expect(idx.slices.map((s) => [s.key, !!s.corrected])).toEqual(recs.map((x) => [x.key, [target, checked].includes(x.key)]));
      expect(Object.keys(readCorrectionsLog(shards).corrections).sort()).toEqual([target, checked].sort());
    }, 60_000);
  });
});
