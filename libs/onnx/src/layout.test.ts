import { describe, expect, it } from 'vitest';
import { CONV_KERNEL_TO_ONNX, transposeArray } from './layout.js';
import { sameConvPads, sameConvTransposePads } from './padding.js';
import { foldIntoConv } from './foldBatchNorm.js';
import { nchwAxis } from './mappers/concatenate.js';

describe('weight layouts', () => {
  it('transposes a 2×3 matrix', () => {
    const r = transposeArray(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0]);
    expect(r.shape).toEqual([3, 2]);
    expect([...r.data]).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('moves a conv kernel from HWIO to OIHW', () => {
    // kernel[h][w][i][o] = 1000h + 100w + 10i + o, shape [2, 2, 2, 3]
    const shape = [2, 2, 2, 3];
    const data = new Float32Array(24);
    let k = 0;
    for (let h = 0; h < 2; h++) for (let w = 0; w < 2; w++) for (let i = 0; i < 2; i++) for (let o = 0; o < 3; o++) data[k++] = 1000 * h + 100 * w + 10 * i + o;
    const r = transposeArray(data, shape, CONV_KERNEL_TO_ONNX);
    expect(r.shape).toEqual([3, 2, 2, 2]);
    // OIHW index (o=2, i=1, h=1, w=0)
    expect(r.data[((2 * 2 + 1) * 2 + 1) * 2 + 0]).toBe(1000 + 10 + 2);
  });
});

describe('padding', () => {
  it('reproduces TensorFlow same padding for stride-1 convs', () => {
    expect(sameConvPads([3, 3], [1, 1])).toEqual([1, 1, 1, 1]);
    expect(sameConvPads([2, 2], [1, 1])).toEqual([0, 0, 1, 1]);
    expect(sameConvPads([3, 3], [2, 2])).toEqual([2, 2, 2, 2]);
  });
  it('crops transposed convs to input × stride', () => {
    expect(sameConvTransposePads([2, 2], [2, 2])).toEqual([0, 0, 0, 0]);
    expect(sameConvTransposePads([3, 3], [2, 2])).toEqual([0, 0, 1, 1]);
    expect(sameConvTransposePads([4, 4], [2, 2])).toEqual([1, 1, 1, 1]);
  });
  it('maps NHWC axes to NCHW', () => {
    expect([-1, 0, 1, 2, 3].map(nchwAxis)).toEqual([1, 0, 2, 3, 1]);
  });
});

describe('BatchNorm folding', () => {
  it('scales output channels and folds the shift into the bias', () => {
    // Conv [O=2, I=1, 1, 1] weights 1 and 2, bias 0.5, 1; BN scale 3, −1 shift 10, 20
    const kernel = Float32Array.from([1, 2]);
    const bias = foldIntoConv(kernel, [2, 1, 1, 1], 0, Float32Array.from([0.5, 1]), { scale: Float64Array.from([3, -1]), shift: Float64Array.from([10, 20]) });
    expect([...kernel]).toEqual([3, -2]);
    expect([...bias]).toEqual([11.5, 19]);
  });
  it('uses axis 1 as output channels for ConvTranspose [I, O, kh, kw]', () => {
    const kernel = Float32Array.from([1, 1, 1, 1]); // [I=2, O=2, 1, 1]
    foldIntoConv(kernel, [2, 2, 1, 1], 1, undefined, { scale: Float64Array.from([2, 5]), shift: Float64Array.from([0, 0]) });
    expect([...kernel]).toEqual([2, 5, 2, 5]);
  });
});
