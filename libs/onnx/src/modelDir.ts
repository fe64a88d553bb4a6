import type * as tf from '@tensorflow/tfjs';
import { loadUnet, type UnetInfo } from '@covseg/unet';
import type { ModelCard } from '@covseg/inference';

/** The ONNX model card of a saved U-Net's unet.json. */
export function cardFromUnetInfo(info: UnetInfo): ModelCard {
  return {
    modelName: info.name,
    classNames: [...info.classNames],
    labelValues: [...info.labelValues],
    window: { low: info.window.low, high: info.window.high },
    inputSize: [info.inputSize[0], info.inputSize[1]],
    trainingConfigHash: info.trainingConfigHash,
  };
}

/** Loads a model folder written by `covseg train` (libs/unet's loadUnet) with its model card. */
export async function loadModelDir(dir: string): Promise<{ model: tf.LayersModel; card: ModelCard }> {
  const { model, info } = await loadUnet(dir);
  return { model, card: cardFromUnetInfo(info) };
}
