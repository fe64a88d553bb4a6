import { createRng } from '@covseg/io';

/** n points of a Gaussian mixture in d dims around the given means (row-major n×d), with the true component per point. */
export function gaussianMixture(means: number[][], sd: number[], n: number, seed: number): { points: Float32Array; truth: Uint8Array } {
  const d = means[0].length;
  const rng = createRng(`mixture:${seed}`);
  const points = new Float32Array(n * d);
  const truth = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % means.length;
    truth[i] = c;
    for (let j = 0; j < d; j++) points[i * d + j] = means[c][j] + sd[c] * rng.normal();
  }
  return { points, truth };
}
