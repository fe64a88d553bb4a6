import { PNG } from 'pngjs';
import { LABEL, LABEL_COLOURS, LABEL_NAMES } from './labels.js';

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
  const colours = LABEL_NAMES.map((_, v) => LABEL_COLOURS[v] ?? [0, 0, 0]);
  // lung is drawn fainter so the CT under it stays readable
  const alphas = LABEL_NAMES.map((_, v) => (show.has(v) ? (v === LABEL.lung ? alpha / 3 : alpha) : 0));
  const out = new Uint8Array(width * height * 4);
  blendLabelOverlay(out, image, label, lo, hi, colours, alphas);
  return out;
}

/**
 * Writes into `out` (RGBA, 4 bytes a pixel) the HU slice `image` as grey in window [lo, hi] HU, with each
 * pixel of label value v > 0 blended towards colours[v] at opacity alphas[v] (0: not drawn). It uses nothing
 * but its arguments: the correction page inlines its source (Function.toString) to draw the same overlay
 * in the browser. Values are stored as `out` stores them (Uint8Array truncates, Uint8ClampedArray rounds).
 */
export function blendLabelOverlay(
  out: Uint8Array | Uint8ClampedArray, image: ArrayLike<number>, label: ArrayLike<number> | null, lo: number, hi: number,
  colours: ArrayLike<ArrayLike<number>>, alphas: ArrayLike<number>,
): void {
  const n = out.length / 4;
  for (let i = 0; i < n; i++) {
    const g = Math.max(0, Math.min(255, ((image[i] - lo) / (hi - lo)) * 255));
    let r = g, gg = g, b = g;
    const v = label ? label[i] : 0;
    const a = v > 0 ? alphas[v] || 0 : 0;
    if (a > 0) {
      const c = colours[v];
      r = g * (1 - a) + c[0] * a;
      gg = g * (1 - a) + c[1] * a;
      b = g * (1 - a) + c[2] * a;
    }
    out[4 * i] = r;
    out[4 * i + 1] = gg;
    out[4 * i + 2] = b;
    out[4 * i + 3] = 255;
  }
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
