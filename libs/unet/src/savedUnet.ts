import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, readJsonFile, writeJsonAtomic } from '@covseg/io';
import { UnetConfig, type WindowConfig } from './config.js';
import { CLASS_NAMES } from './model.js';
import { loadModelFiles, saveModelFiles } from './modelFiles.js';

export const UNET_JSON = 'unet.json';

/** DIR/unet.json: what a consumer (predict, the ONNX exporter) needs besides the weights. */
export interface UnetInfo {
  format: 'covseg-unet/1';
  /** unet-a, unet-b, … */
  name: string;
  unet: UnetConfig;
  window: WindowConfig;
  /** [height, width] of the network input, pixels. */
  inputSize: [number, number];
  classNames: string[];
  labelValues: number[];
  /** SHA-256 of the canonical JSON of the training sections (unet, augment, train). */
  trainingConfigHash: string;
  /** Epoch (1-based) whose weights these are, and its validation scores. */
  epoch: number;
  validation?: Record<string, number | null>;
  backend?: string;
}

/** A loaded model with its description. */
export interface LoadedUnet {
  model: tf.LayersModel;
  info: UnetInfo;
}

/** Describes a model for unet.json. */
export function unetInfo(name: string, unet: UnetConfig, trainingConfigHash: string, epoch: number, validation?: Record<string, number | null>, backend?: string): UnetInfo {
  return {
    format: 'covseg-unet/1', name, unet, window: unet.window, inputSize: [unet.inputSize, unet.inputSize], classNames: [...CLASS_NAMES], labelValues: CLASS_NAMES.map((_, i) => i),
    trainingConfigHash, epoch, ...(validation ? { validation } : {}), ...(backend ? { backend } : {}),
  };
}

/** Writes DIR/weights.bin, DIR/model.json and DIR/unet.json (each atomically, unet.json last). */
export async function saveUnet(model: tf.LayersModel, info: UnetInfo, dir: string): Promise<void> {
  await saveModelFiles(model, dir);
  writeJsonAtomic(join(dir, UNET_JSON), info);
}

/** Loads a model folder written by `covseg train` (DIR/model.json, weights.bin, unet.json). */
export async function loadUnet(dir: string): Promise<LoadedUnet> {
  const p = join(dir, UNET_JSON);
  if (!existsSync(p)) throw new InputError('no unet.json: not a covseg model folder (train writes one)', dir);
  const info = readJsonFile<UnetInfo>(p);
  const parsed = UnetConfig.safeParse(info.unet);
  if (info.format !== 'covseg-unet/1' || !parsed.success) throw new InputError('unsupported unet.json format', p);
  const model = await loadModelFiles(dir);
  return { model, info };
}
