/**
 * ONNX pads [top, left, bottom, right] (pixels) reproducing TensorFlow's 'same' padding for a stride-1
 * convolution: the odd extra pixel goes at the end, as TensorFlow does.
 */
export function sameConvPads(kernel: readonly [number, number], dilation: readonly [number, number]): number[] {
  const total = kernel.map((k, i) => (k - 1) * dilation[i]);
  const begin = total.map((t) => Math.floor(t / 2));
  return [begin[0], begin[1], total[0] - begin[0], total[1] - begin[1]];
}

/**
 * ONNX ConvTranspose pads (pixels cropped from the full output) reproducing TensorFlow's 'same'
 * transposed convolution, whose output is input × stride: total crop = kernel − stride, the odd one at the end.
 */
export function sameConvTransposePads(kernel: readonly [number, number], stride: readonly [number, number]): number[] {
  const total = kernel.map((k, i) => Math.max(k - stride[i], 0));
  const begin = total.map((t) => Math.floor(t / 2));
  return [begin[0], begin[1], total[0] - begin[0], total[1] - begin[1]];
}
