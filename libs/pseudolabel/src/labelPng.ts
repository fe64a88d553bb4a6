import { PNG } from 'pngjs';
import { InputError, LABEL_COLOURS, LABEL_NAMES } from '@covseg/io';

/** Solid RGB colour of each label value in editable label-map PNGs (0 black, the others the label palette). */
export const LABEL_MAP_COLOURS: [number, number, number][] = LABEL_NAMES.map((_, v) => LABEL_COLOURS[v] ?? [0, 0, 0]);

/** An RGB PNG of a label map painted in the class colours (what `import-corrections` reads back). */
export function labelMapPng(label: Uint8Array, width: number, height: number): Buffer {
  const png = new PNG({ width, height, colorType: 2 });
  for (let i = 0; i < width * height; i++) {
    const c = LABEL_MAP_COLOURS[label[i]] ?? LABEL_MAP_COLOURS[0];
    png.data[4 * i] = c[0];
    png.data[4 * i + 1] = c[1];
    png.data[4 * i + 2] = c[2];
    png.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: 2 });
}

/**
 * Label values of a PNG label map: grey pixels 0–4 are the values themselves (other greys up to
 * `tolerance` are out-of-range values, not a near-black); other pixels must be a
 * class colour within `tolerance` per channel (editors' colour handling). Throws InputError naming
 * the file and the first bad pixel.
 */
export function decodeLabelPng(buf: Buffer, file: string, tolerance: number): { width: number; height: number; label: Uint8Array } {
  let png: PNG;
  try {
    png = PNG.sync.read(buf);
  } catch (e) {
    throw new InputError(`not a readable PNG: ${(e as Error).message}`, file);
  }
  const { width, height, data } = png;
  const label = new Uint8Array(width * height);
  for (let i = 0; i < label.length; i++) {
    const r = data[4 * i], g = data[4 * i + 1], b = data[4 * i + 2];
    if (r === g && g === b && r <= 4) {
      label[i] = r;
      continue;
    }
    // a grey just above 4 is a raw label value out of range, not black within the tolerance (PNG is lossless)
    if (r === g && g === b && r <= tolerance) throw new InputError(`pixel (x=${i % width}, y=${Math.floor(i / width)}) has value ${r}: expected a label value 0–4 or a class colour`, file);
    const v = LABEL_MAP_COLOURS.findIndex((c) => Math.abs(c[0] - r) <= tolerance && Math.abs(c[1] - g) <= tolerance && Math.abs(c[2] - b) <= tolerance);
    if (v < 0) {
      const what = r === g && g === b ? `value ${r}` : `colour rgb(${r},${g},${b})`;
      throw new InputError(`pixel (x=${i % width}, y=${Math.floor(i / width)}) has ${what}: expected a label value 0–4 or a class colour`, file);
    }
    label[i] = v;
  }
  return { width, height, label };
}
