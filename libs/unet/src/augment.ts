import type { AugmentConfig } from './config.js';
import type { Rng } from '@covseg/io';

/** One draw of augmentation parameters (identity when every field is neutral). */
export interface AugmentParams {
  /** Rotation, radians (counter-clockwise in image coordinates). */
  angle: number;
  /** Isotropic zoom factor (>1 enlarges). */
  scale: number;
  flipX: boolean;
  flipY: boolean;
  /** Additive Gaussian noise sigma, normalised units (0 = none). */
  noiseSigma: number;
  /** Gaussian blur sigma, pixels (0 = none). */
  blurSigma: number;
}

export const IDENTITY_AUGMENT: AugmentParams = { angle: 0, scale: 1, flipX: false, flipY: false, noiseSigma: 0, blurSigma: 0 };

/** Draws parameters; always consumes the same number of draws so the stream stays aligned across configs. */
export function drawAugmentParams(cfg: AugmentConfig, rng: Rng): AugmentParams {
  const pick = (p: number, [lo, hi]: [number, number], neutral: number) => {
    const on = rng.chance(p);
    const v = rng.uniform(lo, hi);
    return cfg.enabled && on ? v : neutral;
  };
  const angleDeg = pick(cfg.rotation.p, cfg.rotation.degrees, 0);
  const scale = pick(cfg.scale.p, cfg.scale.range, 1);
  const noiseSigma = pick(cfg.noise.p, cfg.noise.sigma, 0);
  const blurSigma = pick(cfg.blur.p, cfg.blur.sigma, 0);
  const flipX = rng.chance(cfg.flipX.p) && cfg.enabled;
  const flipY = rng.chance(cfg.flipY.p) && cfg.enabled;
  return { angle: (angleDeg * Math.PI) / 180, scale, flipX, flipY, noiseSigma, blurSigma };
}

/**
 * Applies one augmentation to an image (normalised, bilinear, fill 0 = air) and its label map
 * (nearest neighbour, fill 0 = background) with the same geometric transform; then blur and noise
 * on the image only. Returns new arrays.
 */
export function augmentPair(image: Float32Array, label: Uint8Array, h: number, w: number, p: AugmentParams, rng: Rng): { image: Float32Array; label: Uint8Array } {
  const geometric = p.angle !== 0 || p.scale !== 1 || p.flipX || p.flipY;
  let img: Float32Array = geometric ? new Float32Array(h * w) : image.slice();
  const lab = geometric ? new Uint8Array(h * w) : label.slice();
  if (geometric) warpAffine(image, label, img, lab, h, w, p);
  if (p.blurSigma > 0) img = gaussianBlur2d(img, h, w, p.blurSigma);
  if (p.noiseSigma > 0) for (let i = 0; i < img.length; i++) img[i] += p.noiseSigma * rng.normal();
  return { image: img, label: lab };
}

/** Inverse-maps every output pixel through rotation·scale·flip about the image centre. */
function warpAffine(image: Float32Array, label: Uint8Array, outImg: Float32Array, outLab: Uint8Array, h: number, w: number, p: AugmentParams): void {
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const cos = Math.cos(p.angle) / p.scale;
  const sin = Math.sin(p.angle) / p.scale;
  // Snap to exact values so quarter turns map pixels onto pixels without rounding drift.
  const snap = (v: number) => (Math.abs(v - Math.round(v)) < 1e-12 ? Math.round(v) : v);
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    for (let x = 0; x < w; x++) {
      const dx = x - cx;
      let u = cos * dx + sin * dy;
      let v = -sin * dx + cos * dy;
      if (p.flipX) u = -u;
      if (p.flipY) v = -v;
      const sx = snap(cx + u);
      const sy = snap(cy + v);
      const o = y * w + x;
      const nx = Math.round(sx);
      const ny = Math.round(sy);
      outLab[o] = sx >= -0.5 && sx < w - 0.5 && sy >= -0.5 && sy < h - 0.5 ? label[ny * w + nx] : 0;
      outImg[o] = sampleBilinear(image, h, w, sy, sx);
    }
  }
}

/** Bilinear sample; inside the half-pixel frame where the nearest label exists it clamps to the edge, beyond it returns 0 (air). */
function sampleBilinear(img: Float32Array, h: number, w: number, y: number, x: number): number {
  if (y < -0.5 || y >= h - 0.5 || x < -0.5 || x >= w - 0.5) return 0;
  y = Math.min(Math.max(y, 0), h - 1);
  x = Math.min(Math.max(x, 0), w - 1);
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, w - 1);
  const y1 = Math.min(y0 + 1, h - 1);
  const tx = x - x0;
  const ty = y - y0;
  if (tx === 0 && ty === 0) return img[y0 * w + x0];
  return (img[y0 * w + x0] * (1 - tx) + img[y0 * w + x1] * tx) * (1 - ty) + (img[y1 * w + x0] * (1 - tx) + img[y1 * w + x1] * tx) * ty;
}

/** Separable Gaussian blur (kernel radius ⌈3σ⌉, mirrored edges). */
export function gaussianBlur2d(img: Float32Array, h: number, w: number, sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  const mirror = (i: number, n: number) => {
    while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - i - 1;
    return i;
  };
  const tmp = new Float32Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) s += k[i + r] * img[y * w + mirror(x + i, w)];
      tmp[y * w + x] = s;
    }
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) s += k[i + r] * tmp[mirror(y + i, h) * w + x];
      out[y * w + x] = s;
    }
  return out;
}
