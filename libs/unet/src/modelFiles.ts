import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, readJsonFile, writeFileAtomicSync } from '@covseg/io';

/** File names of a saved tfjs layers model (tfjs's own layout, so tfjs tools read it too). */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

function joinWeights(data: ArrayBuffer | ArrayBuffer[]): ArrayBuffer {
  return tf.io.CompositeArrayBuffer.join(data);
}

/** tfjs IOHandler writing DIR/model.json + DIR/weights.bin atomically (weights first, then the JSON that names them). */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts: tf.io.ModelArtifacts) => {
      const weights = artifacts.weightData ? new Uint8Array(joinWeights(artifacts.weightData)) : new Uint8Array(0);
      writeFileAtomicSync(join(dir, WEIGHTS_BIN), weights);
      const json = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: 'covseg',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileAtomicSync(join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    },
  };
}

/** tfjs IOHandler reading DIR/model.json + its weight files. */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const p = join(dir, MODEL_JSON);
      if (!existsSync(p)) throw new InputError('no model.json: not a saved covseg model folder', dir);
      const json = readJsonFile<{ modelTopology: object; format?: string; generatedBy?: string; convertedBy?: string; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] }>(p);
      const specs = json.weightsManifest.flatMap((g) => g.weights);
      const parts = json.weightsManifest.flatMap((g) =>
        g.paths.map((f) => {
          const wp = join(dir, f);
          if (!existsSync(wp)) throw new InputError('weight file named in model.json is missing', wp);
          const b = readFileSync(wp);
          return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
        }),
      );
      const weightData = joinWeights(parts);
      const expected = specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1) * 4, 0);
      if (weightData.byteLength !== expected) throw new InputError(`weights hold ${weightData.byteLength} bytes, model.json expects ${expected}`, join(dir, WEIGHTS_BIN));
      return { modelTopology: json.modelTopology, weightSpecs: specs, weightData, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy };
    },
  };
}

/** Saves a layers model's topology and weights to DIR/model.json + DIR/weights.bin. */
export async function saveModelFiles(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(fileSaveHandler(dir));
}

/** Loads a layers model saved by saveModelFiles. */
export async function loadModelFiles(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileLoadHandler(dir));
}
