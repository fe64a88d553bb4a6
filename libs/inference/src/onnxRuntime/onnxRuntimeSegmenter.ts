import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { InputError } from '@covseg/io';
import type { Segmenter } from '../segmenter.js';
import type { OnnxRuntimeConfig } from './runtimeConfig.js';
import { cardFromMetadata, INPUT_NAME, OUTPUT_NAME } from './modelCard.js';
import { decodeModel } from './onnxProto.js';

/** An ONNX Runtime (CPU) segmenter over a covseg ONNX file: the Segmenter, so `covseg predict` runs it like the tfjs one. */
export interface OnnxSegmenter extends Segmenter {
  /** Everything the file's metadata_props say (class names, label values, window, input multiple, …). */
  metadata: ReturnType<typeof cardFromMetadata>;
  release(): Promise<void>;
}

/** Loads a covseg ONNX file into ONNX Runtime; metadata come from its metadata_props. */
export async function createOnnxSegmenter(file: string, runtime: OnnxRuntimeConfig): Promise<OnnxSegmenter> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(`cannot read ONNX file: ${(e as Error).message.split('\n')[0]}`, file);
  }
  let metadata: OnnxSegmenter['metadata'];
  try {
    metadata = cardFromMetadata(decodeModel(bytes).metadataProps, file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`not an ONNX model (protobuf decode failed: ${(e as Error).message.split('\n')[0]})`, file);
  }
  const options: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all', executionProviders: ['cpu'] };
  if (runtime.intraOpThreads > 0) options.intraOpNumThreads = runtime.intraOpThreads;
  if (runtime.interOpThreads > 0) options.interOpNumThreads = runtime.interOpThreads;
  const session = await ort.InferenceSession.create(bytes, options);
  const classes = metadata.classNames.length;
  return {
    name: metadata.modelName,
    inputSize: [metadata.inputSize[0], metadata.inputSize[1]],
    window: [metadata.window.low, metadata.window.high],
    metadata,
    /** Class probabilities [n, classes, h, w] for normalised images [n, 1, h, w] (NCHW float32 in [0, 1]). */
    async predict(images, n, h, w) {
      if (images.length !== n * h * w) throw new InputError(`image buffer holds ${images.length} values, expected n·h·w = ${n}·${h}·${w}`);
      const m = metadata.inputMultiple;
      if (h % m !== 0 || w % m !== 0) throw new InputError(`slice size ${h}×${w} is not a multiple of ${m} (the model's downsampling factor)`);
      const out = await session.run({ [INPUT_NAME]: new ort.Tensor('float32', images, [n, 1, h, w]) });
      const probs = out[OUTPUT_NAME];
      const data = probs.data as Float32Array;
      if (data.length !== n * classes * h * w) throw new InputError(`ONNX output has ${data.length} values, expected ${n * classes * h * w}`, file);
      return data;
    },
    release: () => session.release(),
  };
}
