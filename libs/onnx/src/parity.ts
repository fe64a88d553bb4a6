/** How closely two probability maps [n, classes, h, w] agree. */
export interface ParityStats {
  maxAbsDiff: number;
  /** Fraction of pixels whose argmax class is the same. */
  argmaxAgreement: number;
  differingPixels: number;
  pixels: number;
}

/** Compares two NCHW probability buffers of the same shape. */
export function compareProbabilities(a: Float32Array, b: Float32Array, n: number, classes: number, h: number, w: number): ParityStats {
  if (a.length !== b.length || a.length !== n * classes * h * w) throw new Error(`probability buffers differ in size (${a.length} vs ${b.length}, expected ${n * classes * h * w})`);
  let maxAbsDiff = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= maxAbsDiff)) maxAbsDiff = Number.isNaN(d) ? Infinity : d;
  }
  const plane = h * w;
  let differing = 0;
  for (let s = 0; s < n; s++) {
    const base = s * classes * plane;
    for (let p = 0; p < plane; p++) {
      if (argmaxAt(a, base + p, classes, plane) !== argmaxAt(b, base + p, classes, plane)) differing++;
    }
  }
  const pixels = n * plane;
  return { maxAbsDiff, argmaxAgreement: pixels ? 1 - differing / pixels : 1, differingPixels: differing, pixels };
}

function argmaxAt(p: Float32Array, offset: number, classes: number, stride: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (p[offset + c * stride] > p[offset + best * stride]) best = c;
  return best;
}
