import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXPORT_CONFIG } from './config.js';
import { INPUT_NAME, OUTPUT_NAME, writeOnnxFile } from './exportOnnx.js';
import { cardFromMetadata, covsegVersion } from '@covseg/inference';
import { decodeModel, onnx, type OnnxValueInfo } from '@covseg/inference';
import { runOnnxChecker } from './onnxChecker.js';
import { buildReferenceUnet } from './testing/referenceUnet.js';
import { TEST_CARD, tempDir } from './testing/harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const dims = (vi: OnnxValueInfo) => vi.type!.tensorType!.shape!.dim!.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));

describe('written ONNX file', () => {
  it('re-parses with the declared input, output, opset and metadata', () => {
    const file = join(tempDir(), 'unet.onnx');
    const info = writeOnnxFile(file, buildReferenceUnet({ depth: 3 }), TEST_CARD, { ...DEFAULT_EXPORT_CONFIG, opset: 13 });
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(info.bytes);
    const m = decodeModel(bytes);
    expect(Number(m.irVersion)).toBe(8);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    const g = m.graph!;
    expect(g.input!.map((i) => i.name)).toEqual([INPUT_NAME]);
    expect(dims(g.input![0])).toEqual(['N', 1, 'H', 'W']);
    expect(g.output!.map((o) => o.name)).toEqual([OUTPUT_NAME]);
    expect(dims(g.output![0])).toEqual(['N', 5, 'H', 'W']);
    expect(g.input![0].type!.tensorType!.elemType).toBe(onnx.TensorProto.DataType.FLOAT);
    // folded BatchNorm, Dropout dropped: only these ops remain
    expect(new Set(g.node!.map((n) => n.opType))).toEqual(new Set(['Conv', 'Relu', 'MaxPool', 'ConvTranspose', 'Concat', 'Softmax']));
    const softmax = g.node!.find((n) => n.opType === 'Softmax')!;
    expect(softmax.output).toEqual([OUTPUT_NAME]);
    expect(Number(softmax.attribute![0].i)).toBe(1);
    const concat = g.node!.find((n) => n.opType === 'Concat')!;
    expect(Number(concat.attribute![0].i)).toBe(1);
    const card = cardFromMetadata(m.metadataProps, file);
    expect(card).toEqual({ ...TEST_CARD, inputMultiple: 8, covsegVersion: covsegVersion() });
    const props = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
    expect(props.label_values).toBe('[0,1,2,3,4]');
    expect(props.hu_window).toBe('[-1024,300]');
    expect(props.normalisation).toMatch(/clip\(HU, -1024, 300\)/);
  });

  it('writes BatchNormalization with tfjs epsilon when folding is off', () => {
    const file = join(tempDir(), 'bn.onnx');
    writeOnnxFile(file, buildReferenceUnet(), TEST_CARD, { ...DEFAULT_EXPORT_CONFIG, foldBatchNorm: false });
    const bn = decodeModel(readFileSync(file)).graph!.node!.filter((n) => n.opType === 'BatchNormalization');
    expect(bn.length).toBe(10);
    expect(bn[0].attribute!.find((a) => a.name === 'epsilon')!.f).toBeCloseTo(1e-3, 9);
  });

  it('passes the Debian python3-onnx checker (full_check) when installed', (ctx) => {
    const file = join(tempDir(), 'c.onnx');
    writeOnnxFile(file, buildReferenceUnet({ upsampling: 'bilinear' }), TEST_CARD, DEFAULT_EXPORT_CONFIG);
    const r = runOnnxChecker(file);
    if (r.status === 'skipped') return ctx.skip(r.message);
    expect(r.status, r.message).toBe('passed');
  });

  it('reports the checker as skipped when Python is absent', () => {
    expect(runOnnxChecker('x.onnx', '/nonexistent/python3').status).toBe('skipped');
  });
});

describe('refusals', () => {
  const withLayer = (extra: (x: tf.SymbolicTensor) => tf.SymbolicTensor) => {
    const input = tf.input({ shape: [16, 16, 1] });
    const a = tf.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
    const b = extra(a);
    return tf.model({ inputs: input, outputs: tf.layers.softmax({ axis: -1 }).apply(b) as tf.SymbolicTensor });
  };

  it('names an unmapped layer and writes no file (an existing file is left untouched)', () => {
    const dir = tempDir();
    const file = join(dir, 'out.onnx');
    const model = withLayer((x) => tf.layers.averagePooling2d({ poolSize: 1, name: 'smooth_pool' }).apply(x) as tf.SymbolicTensor);
    expect(() => writeOnnxFile(file, model, TEST_CARD, DEFAULT_EXPORT_CONFIG)).toThrow(/no mapping for layer 'smooth_pool' \(AveragePooling2D\)/);
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(file, 'previous');
    expect(() => writeOnnxFile(file, model, TEST_CARD, DEFAULT_EXPORT_CONFIG)).toThrow(/AveragePooling2D/);
    expect(readFileSync(file, 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['out.onnx']);
  });

  it('refuses an unmapped activation, a softmax over a spatial axis and a class-count mismatch', () => {
    const file = join(tempDir(), 'x.onnx');
    expect(() => writeOnnxFile(file, withLayer((x) => tf.layers.activation({ activation: 'elu', name: 'act_elu' }).apply(x) as tf.SymbolicTensor), TEST_CARD, DEFAULT_EXPORT_CONFIG)).toThrow(/'act_elu' \(Activation\) uses activation 'elu'/);
    const input = tf.input({ shape: [16, 16, 1] });
    const c = tf.layers.conv2d({ filters: 5, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
    const spatial = tf.model({ inputs: input, outputs: tf.layers.softmax({ axis: 1 }).apply(c) as tf.SymbolicTensor });
    expect(() => writeOnnxFile(file, spatial, TEST_CARD, DEFAULT_EXPORT_CONFIG)).toThrow(/axis 1; only the channel axis/);
    expect(() => writeOnnxFile(file, buildReferenceUnet({ classes: 4 }), TEST_CARD, DEFAULT_EXPORT_CONFIG)).toThrow(/outputs 4 channels but the model card names 5/);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a model whose output is not a softmax', () => {
    const input = tf.input({ shape: [16, 16, 1] });
    const logits = tf.layers.conv2d({ filters: 5, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
    expect(() => writeOnnxFile(join(tempDir(), 'l.onnx'), tf.model({ inputs: input, outputs: logits }), TEST_CARD, DEFAULT_EXPORT_CONFIG)).toThrow(/not a softmax/);
  });
});
