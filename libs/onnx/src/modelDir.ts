import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { InputError, writeFileAtomicSync, writeJsonAtomic } from '@covseg/io';
import type { ModelCard } from './metadata.js';

/** Label names in label-value order (DESIGN.md), used when unet.json names none. */
export const DEFAULT_CLASS_NAMES = ['background', 'lung', 'ggo', 'consolidation', 'vessels'];

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';
const CARD_JSON = 'unet.json';

/** Model card from a saved model's unet.json, tolerant of the field spellings libs/unet may use. */
export function cardFromUnetJson(json: Record<string, any>, fallbackName: string): ModelCard {
  const cfg = json.config?.unet ?? json.unet ?? json;
  const window = json.window ?? cfg.window;
  if (!window || typeof window.low !== 'number' || typeof window.high !== 'number') throw new InputError(`${CARD_JSON} has no HU window {low, high}`);
  const size = json.inputSize ?? cfg.inputSize;
  if (size === undefined) throw new InputError(`${CARD_JSON} has no inputSize`);
  const classNames: string[] = json.classNames ?? json.classes ?? DEFAULT_CLASS_NAMES;
  return {
    modelName: json.modelName ?? json.name ?? fallbackName,
    classNames,
    labelValues: json.labelValues ?? classNames.map((_, i) => i),
    window: { low: window.low, high: window.high },
    inputSize: Array.isArray(size) ? [size[0], size[1]] : [size, size],
    trainingConfigHash: json.trainingConfigHash ?? json.configHash ?? json.config_hash ?? '',
  };
}

/** Reads DIR/model.json + weights + DIR/unet.json written by `covseg train` (or saveModelDir). */
export async function loadModelDir(dir: string): Promise<{ model: tf.LayersModel; card: ModelCard }> {
  for (const f of [MODEL_JSON, CARD_JSON]) if (!existsSync(join(dir, f))) throw new InputError(`not a covseg model folder: ${f} is missing`, dir);
  const modelJson = JSON.parse(readFileSync(join(dir, MODEL_JSON), 'utf8'));
  const manifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] = modelJson.weightsManifest ?? [];
  const weightSpecs = manifest.flatMap((g) => g.weights);
  const buffers = manifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }));
  } catch (e) {
    throw new InputError(`cannot load the tfjs model: ${(e as Error).message.split('\n')[0]}`, join(dir, MODEL_JSON));
  }
  const card = cardFromUnetJson(JSON.parse(readFileSync(join(dir, CARD_JSON), 'utf8')), dir.split(/[\\/]/).filter(Boolean).pop() ?? 'unet');
  return { model, card };
}

/** Saves a tfjs model as DIR/model.json + DIR/weights.bin + DIR/unet.json (the layout libs/unet writes). */
export async function saveModelDir(dir: string, model: tf.LayersModel, unetJson: Record<string, unknown>): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData instanceof ArrayBuffer ? new Uint8Array(artifacts.weightData) : new Uint8Array(Buffer.concat((artifacts.weightData as ArrayBuffer[]).map((b) => new Uint8Array(b))));
      writeFileAtomicSync(join(dir, WEIGHTS_BIN), data);
      writeJsonAtomic(join(dir, MODEL_JSON), {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs }],
      });
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  writeJsonAtomic(join(dir, CARD_JSON), unetJson);
}
