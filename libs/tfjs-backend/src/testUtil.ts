import * as tf from '@tensorflow/tfjs';
import { createRng } from '@covseg/io';
import { restoreStockKernels } from './kernelRegistry.js';

/** Deterministic pseudo-random tensor in [-1, 1) (tests only). */
export function seeded(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.uniform(-1, 1)), shape);
}

/** Largest |a-b| over max(|b|, tiny): the relative error measure every kernel test uses. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, m = 1e-12;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return a.length === b.length ? d / m : Infinity;
}

/** Runs fn with tfjs's own kernels, then with ours (install), returning both results' values. */
export function stockAndOurs(install: () => void, fn: () => tf.Tensor | tf.Tensor[]): { stock: Float32Array[]; ours: Float32Array[] } {
  const run = () => {
    const r = tf.tidy(fn);
    const list = Array.isArray(r) ? r : [r];
    const vals = list.map((t) => t.dataSync() as Float32Array);
    tf.dispose(list);
    return vals;
  };
  restoreStockKernels();
  const stock = run();
  install();
  try {
    return { stock, ours: run() };
  } finally {
    restoreStockKernels();
  }
}
