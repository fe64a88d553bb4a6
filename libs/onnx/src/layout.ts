/** Permutes a row-major array of `shape` by `perm` (numpy.transpose semantics). */
export function transposeArray(data: Float32Array, shape: readonly number[], perm: readonly number[]): { data: Float32Array; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) inStrides[d] = inStrides[d + 1] * shape[d + 1];
  const strideOfOutAxis = perm.map((p) => inStrides[p]);
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += idx[d] * strideOfOutAxis[d];
    out[o] = data[src];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** tfjs Conv2D kernel [kh, kw, in, out] (HWIO) → ONNX Conv weight [out, in, kh, kw] (OIHW). */
export const CONV_KERNEL_TO_ONNX = [3, 2, 0, 1] as const;

/** tfjs Conv2DTranspose kernel [kh, kw, out, in] → ONNX ConvTranspose weight [in, out, kh, kw]: the same permutation. */
export const CONV_TRANSPOSE_KERNEL_TO_ONNX = [3, 2, 0, 1] as const;
