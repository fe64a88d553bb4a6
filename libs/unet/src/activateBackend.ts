import * as tf from '@tensorflow/tfjs';
import { InputError } from '@covseg/io';
import { installFastCpuConvFilterGrad } from './testing/fastCpuConvFilterGrad.js';

/** Backend names `--backend` accepts, fastest first. */
export const BACKEND_NAMES = ['auto', 'tensorflow-gpu', 'tensorflow', 'webgpu', 'native-cpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

type Selector = (name: string) => Promise<{ name: string }>;

/**
 * Activates a tfjs backend for training/inference and returns the name it got. Uses the backend
 * selector of ./backend (fast native/GPU routes) when that module is present; otherwise falls back to
 * the pure `cpu` backend with a faster Conv2DBackpropFilter (the stock one dominates training time).
 */
export async function activateBackend(name: BackendName, log: (line: string) => void = () => {}): Promise<string> {
  const path = './backend/index.js';
  let selector: Selector | undefined;
  try {
    selector = ((await import(/* @vite-ignore */ path)) as { selectBackend?: Selector }).selectBackend;
  } catch {
    selector = undefined;
  }
  if (selector) return (await selector(name)).name;
  if (name !== 'auto' && name !== 'cpu') throw new InputError(`backend '${name}' is not available in this build (use auto or cpu)`);
  await tf.setBackend('cpu');
  installFastCpuConvFilterGrad();
  log('backend: cpu (pure JS; ./backend not present)');
  return 'cpu';
}
