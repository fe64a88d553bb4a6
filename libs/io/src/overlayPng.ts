import { PNG } from 'pngjs';
import { LABEL_COLOURS } from './labels.js';


/** Lung window used for pictures: [low, high] HU. */
export const LUNG_WINDOW: [number, number] = [-1350, 150];

export interface OverlayOptions {
  window?: [number, number];
  /** Opacity of lesion/vessel colours (0–1); lung gets a third of it. */
  alpha?: number;
  /** Label values to colour (default 2, 3, 4: lung stays grey so the parenchyma can be read). */
  show?: number[];
}

/** RGBA pixels of an HU slice in a window, with labels blended on top (row-major, width × height). */
export function overlayRgba(image: ArrayLike<number>, label: ArrayLike<number> | null, width: number, height: number, opts: OverlayOptions = {}): Uint8Array {
  const [lo, hi] = opts.window ?? LUNG_WINDOW;
  const alpha = opts.alpha ?? 0.45;
  const show = new Set(opts.show ?? [2, 3, 4]);
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const g = Math.max(0, Math.min(255, ((image[i] - lo) / (hi - lo)) * 255));
    let r = g, gg = g, b = g;
    const l = label ? label[i] : 0;
    if (l && show.has(l)) {
      const c = LABEL_COLOURS[l];
      const a = l === 1 ? alpha / 3 : alpha;
      r = g * (1 - a) + c[0] * a;
      gg = g * (1 - a) + c[1] * a;
      b = g * (1 - a) + c[2] * a;
    }
    out[4 * i] = r;
    out[4 * i + 1] = gg;
    out[4 * i + 2] = b;
    out[4 * i + 3] = 255;
  }
  return out;
}

/** Places RGBA panels side by side (same height) into one PNG buffer. */
export function panelsToPng(panels: { rgba: Uint8Array; width: number }[], height: number, gap = 4): Buffer {
  const width = panels.reduce((s, p) => s + p.width, 0) + gap * (panels.length - 1);
  const png = new PNG({ width, height });
  png.data.fill(255);
  let x0 = 0;
  for (const p of panels) {
    for (let y = 0; y < height; y++) {
      const src = y * p.width * 4;
      png.data.set(p.rgba.subarray(src, src + p.width * 4), (y * width + x0) * 4);
    }
    x0 += p.width + gap;
  }
  return PNG.sync.write(png);
}

/** Decodes a PNG into 8-bit values of its first channel (grey label maps, grey images; palette PNGs come back as their colours' red channel). */
export function decodePngValues(buf: Buffer): { width: number; height: number; values: Uint8Array } {
  const png = PNG.sync.read(buf);
  const values = new Uint8Array(png.width * png.height);
  for (let i = 0; i < values.length; i++) values[i] = png.data[4 * i];
  return { width: png.width, height: png.height, values };
}
