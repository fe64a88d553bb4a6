import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { readGrayImage } from './grayImage.js';

const d = mkdtempSync(join(tmpdir(), 'covseg-gray-'));

/** A PNG file of RGBA pixels. */
function writePng(name: string, width: number, height: number, rgba: (i: number) => number[]): string {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set(rgba(i), 4 * i);
  writeFileSync(join(d, name), PNG.sync.write(png));
  return join(d, name);
}

describe('readGrayImage', () => {
  it('reads a gray PNG exactly, row-major, and an RGB PNG whose channels agree', () => {
    const g = readGrayImage(writePng('g.png', 3, 2, (i) => [i * 40, i * 40, i * 40, 255]));
    expect([g.width, g.height]).toEqual([3, 2]);
    expect(Array.from(g.data)).toEqual([0, 40, 80, 120, 160, 200]);
    const gray8 = new PNG({ width: 2, height: 1, colorType: 0, inputColorType: 0, inputHasAlpha: false } as never);
    gray8.data = Buffer.from([7, 250]);
    writeFileSync(join(d, 'l.png'), PNG.sync.write(gray8, { colorType: 0, inputColorType: 0, inputHasAlpha: false } as never));
    expect(Array.from(readGrayImage(join(d, 'l.png')).data)).toEqual([7, 250]);
  });

  it('reads a JPG (gray within JPEG error)', () => {
    const rgba = new Uint8Array(16 * 16 * 4).map((_, i) => (i % 4 === 3 ? 255 : 128));
    writeFileSync(join(d, 'g.jpg'), jpeg.encode({ data: rgba, width: 16, height: 16 }, 95).data);
    const back = readGrayImage(join(d, 'g.jpg'));
    expect([back.width, back.height]).toEqual([16, 16]);
    expect(Math.abs(back.data[100] - 128)).toBeLessThanOrEqual(2);
  });

  it('refuses colour, 16-bit PNG, truncated JPG and PNG, and empty files, naming the file', () => {
    expect(() => readGrayImage(writePng('red.png', 4, 4, () => [255, 0, 0, 255]))).toThrow(/red\.png: colour picture \(100\.0 % coloured pixels\)/);
    const p16 = new PNG({ width: 2, height: 2, bitDepth: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false } as never);
    p16.data = Buffer.alloc(8, 0x40);
    writeFileSync(join(d, 'deep.png'), PNG.sync.write(p16, { bitDepth: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false } as never));
    expect(() => readGrayImage(join(d, 'deep.png'))).toThrow(/deep\.png: 16-bit PNG/);
    const jpg = jpeg.encode({ data: new Uint8Array(32 * 32 * 4).fill(200), width: 32, height: 32 }, 90).data;
    writeFileSync(join(d, 'cut.jpg'), jpg.subarray(0, jpg.length >> 1));
    expect(() => readGrayImage(join(d, 'cut.jpg'))).toThrow(/cut\.jpg: unreadable JPG/);
    const png = PNG.sync.write(Object.assign(new PNG({ width: 8, height: 8 }), { data: Buffer.alloc(256, 90) }));
    writeFileSync(join(d, 'cut.png'), png.subarray(0, png.length - 20));
    expect(() => readGrayImage(join(d, 'cut.png'))).toThrow(/cut\.png: unreadable PNG/);
    writeFileSync(join(d, 'empty.png'), '');
    expect(() => readGrayImage(join(d, 'empty.png'))).toThrow(/empty\.png: empty file/);
  });
});
