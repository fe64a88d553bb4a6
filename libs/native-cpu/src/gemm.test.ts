import { describe, expect, it } from 'vitest';
import { loadNativeCpu, nativeDisabled } from './index.js';

const load = loadNativeCpu();

describe('native-cpu addon', () => {
  it('loads unless disabled', () => {
    if (nativeDisabled()) expect(load.ok).toBe(false);
    else expect(load.ok, load.ok ? '' : load.reason).toBe(true);
  });

  it.skipIf(!load.ok)('gemm matches a float64 reference on ragged sizes', () => {
    if (!load.ok) return;
    for (const [M, N, K] of [[1, 1, 1], [7, 17, 300], [13, 5, 9], [64, 32, 513]]) {
      const a = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i * 0.37 + 1));
      const b = Float32Array.from({ length: K * N }, (_, i) => Math.cos(i * 0.11));
      const c = new Float32Array(M * N).fill(NaN);
      load.addon.gemm(a, b, c, Int32Array.of(M, N, K));
      let maxErr = 0, maxRef = 0;
      for (let i = 0; i < M; i++)
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
          maxErr = Math.max(maxErr, Math.abs(s - c[i * N + j]));
          maxRef = Math.max(maxRef, Math.abs(s));
        }
      expect(maxErr / maxRef).toBeLessThan(1e-5);
    }
  });

  it.skipIf(!load.ok)('rejects arrays that do not match the geometry', () => {
    if (!load.ok) return;
    const g = Int32Array.of(1, 4, 4, 1, 4, 4, 1, 3, 3, 1, 1, 1, 1, 1, 1);
    expect(() => load.addon.conv2d(new Float32Array(16), new Float32Array(9), new Float32Array(15), g)).toThrow(/sizes/);
  });
});

describe('native-cpu memory-bound ops', () => {
  const n = 1 << 16, C = 16;
  const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7));
  const dy = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.3));
  const ch = Float32Array.from({ length: C }, (_, i) => i / 4 - 1);

  it.skipIf(!load.ok)('binary broadcast, reduceMiddle, pointwise, meanGrad, channelAffine, batch-norm sums (threaded sizes)', () => {
    if (!load.ok) return;
    const a = load.addon, out = new Float32Array(n);
    a.binary(2, x, ch.map((v) => v + 3), out, Int32Array.of(2, n / C, C, C, 1, 0, 1));
    expect(out[C * 5 + 3]).toBeCloseTo(x[C * 5 + 3] * (ch[3] + 3), 6);
    const sums = new Float32Array(C);
    a.reduceMiddle(x, sums, 1, n / C, C, 1);
    let s3 = 0;
    for (let i = 3; i < n; i += C) s3 += x[i];
    expect(sums[3]).toBeCloseTo(s3, 3);
    a.pointwise(1, x, dy, out);
    expect([out[1], out[5]]).toEqual([x[1] > 0 ? dy[1] : 0, x[5] > 0 ? dy[5] : 0]);
    const g = new Float32Array(n);
    a.meanGrad(ch, g, 1, n / C, C);
    expect(g[C * 7 + 2]).toBeCloseTo(ch[2] / (n / C), 9);
    const ch64 = Float64Array.from(ch);
    a.channelAffine(x, out, ch64, ch64, ch64);
    expect(out[C + 4]).toBeCloseTo((x[C + 4] - ch[4]) * ch[4] + ch[4], 6);
    const sdy = new Float64Array(C), sdyx = new Float64Array(C);
    a.batchNormGradSums(dy, x, ch, sdy, sdyx);
    let r = 0;
    for (let i = 4; i < n; i += C) r += dy[i] * (x[i] - ch[4]);
    expect(sdyx[4]).toBeCloseTo(r, 3);
  });
});

describe('native-cpu training ops', () => {
  const C = 8, rows = 1 << 13, n = rows * C;
  const x = Float32Array.from({ length: n }, (_, i) => 5 + 2 * Math.sin(i * 0.37));

  it.skipIf(!load.ok)('batchMoments: mean and biased variance per channel against a float64 reference (offset data)', () => {
    if (!load.ok) return;
    const mean = new Float64Array(C), variance = new Float64Array(C);
    load.addon.batchMoments(x, mean, variance);
    for (const c of [0, 5]) {
      let m = 0, v = 0;
      for (let r = 0; r < rows; r++) m += x[r * C + c] / rows;
      for (let r = 0; r < rows; r++) v += (x[r * C + c] - m) ** 2 / rows;
      expect(mean[c]).toBeCloseTo(m, 10);
      expect(variance[c]).toBeCloseTo(v, 10);
    }
  });

  it.skipIf(!load.ok)('columnCopy concatenates and splits back exactly; maxPool takes each window maximum; both reject bad sizes', () => {
    if (!load.ok) return;
    const a = load.addon, outer = 1000, left = Float32Array.from({ length: outer * 3 }, (_, i) => i), right = Float32Array.from({ length: outer * 5 }, (_, i) => -i);
    const both = new Float32Array(outer * 8);
    a.columnCopy(both, left, outer, 8, 0, 3, 1);
    a.columnCopy(both, right, outer, 8, 3, 5, 1);
    expect(Array.from(both.subarray(8 * 7, 8 * 8))).toEqual([21, 22, 23, -35, -36, -37, -38, -39]);
    const back = new Float32Array(outer * 5);
    a.columnCopy(back, both, outer, 8, 3, 5, 0);
    expect(back).toEqual(right);
    expect(() => a.columnCopy(back, both, outer, 8, 4, 5, 0)).toThrow(/sizes/);
    // 1×3×5×2 → 2×2 windows: rows {0,1}, {2} and columns {0,1}, {2,3}, {4}
    const img = Float32Array.from({ length: 30 }, (_, i) => (i * 7) % 11), y = new Float32Array(1 * 2 * 3 * 2);
    a.maxPool(img, y, Int32Array.of(1, 3, 5, 2, 2, 2, 2, 3));
    const at = (h: number, w: number, c: number) => img[(h * 5 + w) * 2 + c];
    expect(y[0]).toBe(Math.max(at(0, 0, 0), at(0, 1, 0), at(1, 0, 0), at(1, 1, 0)));
    expect(y[(1 * 3 + 2) * 2 + 1]).toBe(at(2, 4, 1));
    expect(() => a.maxPool(img, y, Int32Array.of(1, 3, 5, 2, 2, 2, 4, 3))).toThrow(/geometry/);
  });
});
