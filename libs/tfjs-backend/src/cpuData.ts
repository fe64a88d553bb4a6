import type * as tf from '@tensorflow/tfjs';

/** The subset of tfjs-backend-cpu's MathBackendCPU our kernels use. */
export interface CpuBackend {
  data: { get(id: tf.DataId): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: unknown): tf.TensorInfo;
}

/** The float32 values behind a tensor on the cpu backend (no copy). */
export function f32(backend: unknown, t: tf.TensorInfo): Float32Array {
  return (backend as CpuBackend).data.get(t.dataId).values as Float32Array;
}

/** A new float32 tensor on the cpu backend owning `values`. */
export function out(backend: unknown, shape: number[], values: Float32Array): tf.TensorInfo {
  return (backend as CpuBackend).makeTensorInfo(shape, 'float32', values);
}

/** Element count of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * An uninitialised float32 array for outputs a kernel writes in full: skips the zero-fill pass
 * (a full extra sweep over memory per kernel); small ones stay zeroed allocations.
 */
export function uninit(n: number): Float32Array {
  if (n < 4096) return new Float32Array(n);
  const b = Buffer.allocUnsafeSlow(n * 4);
  return new Float32Array(b.buffer, b.byteOffset, n);
}
