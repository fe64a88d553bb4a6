import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** Geometry of a convolution as 15 int32: N,H,W,Ci, OH,OW,Co, KH,KW, strideH,strideW, dilH,dilW, padTop,padLeft (NHWC, filter HWIO). */
export type ConvGeometry = Int32Array;

/** The compiled kernels (float32, NHWC); each writes into the output array it is given. */
export interface NativeCpuAddon {
  conv2d(x: Float32Array, w: Float32Array, y: Float32Array, geom: ConvGeometry): void;
  conv2dBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array, geom: ConvGeometry): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geom: ConvGeometry): void;
  /** C[M×N] = A[M×K]·B[K×N], dims = [M, N, K]. */
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, dims: Int32Array): void;
  /** out = a (op) b; op 0 add, 1 sub, 2 mul, 3 div; plan = [rank, shape…, stridesA…, stridesB…] (0 = broadcast). */
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array, plan: Int32Array): void;
  /** out[a,b] = scale·Σ_r x[a,r,b] for x viewed as [A,R,B]. */
  reduceMiddle(x: Float32Array, out: Float32Array, A: number, R: number, B: number, scale: number): void;
  /** Per-channel (last axis) Σdy and Σdy·(x−mean). */
  batchNormGradSums(dy: Float32Array, x: Float32Array, mean: Float32Array, sdy: Float64Array, sdyx: Float64Array): void;
  /** out = (x − shift[c])·mul[c] + add[c] over the last axis. */
  channelAffine(x: Float32Array, out: Float32Array, shift: Float64Array, mul: Float64Array, add: Float64Array): void;
  /** op 0: relu(x); 1: dy·[x>0]; 2: dy·2x. */
  pointwise(op: number, x: Float32Array, dy: Float32Array, out: Float32Array): void;
  /** out[a,r,b] = dy[a,b]/R. */
  meanGrad(dy: Float32Array, out: Float32Array, A: number, R: number, B: number): void;
  /** Per-channel (last axis) batch mean and biased variance of x (float64 accumulation). */
  batchMoments(x: Float32Array, mean: Float64Array, variance: Float64Array): void;
  /** y = (x − mean[c])·k[c] + beta[c], then relu when relu = 1. */
  batchNormApply(x: Float32Array, y: Float32Array, mean: Float64Array, k: Float64Array, beta: Float64Array, relu: number): void;
  /** Training-mode batch-norm gradient: dx, and dβ = Σdy, dγ = Σdy·x̂ per channel (inv = 1/√(σ²+ε)); with z (a fused relu's output) dy counts only where z > 0. */
  batchNormTrainGrad(dy: Float32Array, x: Float32Array, mean: Float64Array, inv: Float64Array, gamma: Float32Array, dx: Float32Array, dbeta: Float64Array, dgamma: Float64Array, z?: Float32Array): void;
  /** One Adam step in float32, op for op as tfjs composes it; consts = [β1, 1−β1, β2, 1−β2, lr_t, ε] (float32-rounded). */
  adam(x: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, xOut: Float32Array, mOut: Float32Array, vOut: Float32Array, consts: Float32Array): void;
  /** toDst 1: src [outer×len] → columns [start, start+len) of dst [outer×rowLen]; 0: the reverse (dst [outer×len] from src [outer×rowLen]). */
  columnCopy(dst: Float32Array, src: Float32Array, outer: number, rowLen: number, start: number, len: number, toDst: number): void;
  /** Max pooling over non-overlapping windows, NHWC; dims = [N, H, W, C, fh, fw, OH, OW]. */
  maxPool(x: Float32Array, y: Float32Array, dims: Int32Array): void;
  /** Gradient of maxPool (dy to each window's first strict maximum). */
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, dims: Int32Array): void;
  /** Per class (last axis) of probabilities p and one-hot y: Σy·log(clip(p, floor, 1)), Σy·p, Σy, Σp into sums[4·C]. */
  segLossSums(p: Float32Array, y: Float32Array, floor: number, sums: Float64Array): void;
  /** dp = a[c]·y/p·[floor ≤ p ≤ 1] + b[c]·y + e[c] per class. */
  segLossGrad(p: Float32Array, y: Float32Array, floor: number, a: Float64Array, b: Float64Array, e: Float64Array, dp: Float32Array): void;
  info(): { avx2: boolean; threads: number };
  setThreads(n: number): void;
}

export type NativeCpuLoad = { ok: true; addon: NativeCpuAddon; path: string } | { ok: false; reason: string };

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Whether COVSEG_DISABLE_NATIVE forces the pure-JS/wasm paths (set to 1/true). */
export function nativeDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes)$/i.test(env.COVSEG_DISABLE_NATIVE ?? '');
}

let cached: NativeCpuLoad | undefined;

/** Loads the addon built at install (build/Release/covseg_native.node); never throws. */
export function loadNativeCpu(): NativeCpuLoad {
  if (nativeDisabled()) return { ok: false, reason: 'disabled by COVSEG_DISABLE_NATIVE' };
  if (cached) return cached;
  const path = join(packageRoot, 'build', 'Release', 'covseg_native.node');
  if (!existsSync(path)) return (cached = { ok: false, reason: `addon not built (${path} missing; run \`npm rebuild @covseg/native-cpu\`)` });
  try {
    const addon = createRequire(import.meta.url)(path) as NativeCpuAddon;
    return (cached = { ok: true, addon, path });
  } catch (e) {
    return (cached = { ok: false, reason: `addon failed to load: ${(e as Error).message.split('\n')[0]}` });
  }
}
