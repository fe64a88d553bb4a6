/** Bilinear resample of a row-major h × w image to outH × outW (pixel centres aligned, edges clamped). */
export function resizeBilinear(src: ArrayLike<number>, h: number, w: number, outH: number, outW: number): Float32Array {
  const out = new Float32Array(outH * outW);
  const sy = h / outH;
  const sx = w / outW;
  for (let y = 0; y < outH; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const ty = fy - y0;
    for (let x = 0; x < outW; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const tx = fx - x0;
      const top = src[y0 * w + x0] * (1 - tx) + src[y0 * w + x1] * tx;
      const bottom = src[y1 * w + x0] * (1 - tx) + src[y1 * w + x1] * tx;
      out[y * outW + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

/** HU → network input: clip to the window and scale to [0, 1]. */
export function normaliseHu(hu: ArrayLike<number>, window: { low: number; high: number }): Float32Array {
  const out = new Float32Array(hu.length);
  const span = window.high - window.low;
  for (let i = 0; i < hu.length; i++) out[i] = (Math.min(Math.max(hu[i], window.low), window.high) - window.low) / span;
  return out;
}
