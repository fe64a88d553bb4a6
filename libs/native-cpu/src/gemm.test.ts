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
