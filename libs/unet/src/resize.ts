/** Bilinear resize of a row-major float image (pixel centres aligned, edges clamped). */
export function resizeBilinear(src: Float32Array, h: number, w: number, oh: number, ow: number): Float32Array {
  if (h === oh && w === ow) return src.slice();
  const out = new Float32Array(oh * ow);
  const sy = h / oh;
  const sx = w / ow;
  for (let y = 0; y < oh; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const ty = fy - y0;
    for (let x = 0; x < ow; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const tx = fx - x0;
      const top = src[y0 * w + x0] * (1 - tx) + src[y0 * w + x1] * tx;
      const bottom = src[y1 * w + x0] * (1 - tx) + src[y1 * w + x1] * tx;
      out[y * ow + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

/** Nearest-neighbour resize of a label map (labels are never interpolated). */
export function resizeNearest(src: Uint8Array, h: number, w: number, oh: number, ow: number): Uint8Array {
  if (h === oh && w === ow) return src.slice();
  const out = new Uint8Array(oh * ow);
  for (let y = 0; y < oh; y++) {
    const sy = Math.min(Math.floor(((y + 0.5) * h) / oh), h - 1);
    for (let x = 0; x < ow; x++) out[y * ow + x] = src[sy * w + Math.min(Math.floor(((x + 0.5) * w) / ow), w - 1)];
  }
  return out;
}
