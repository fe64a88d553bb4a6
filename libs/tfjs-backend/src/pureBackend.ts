import * as tf from '@tensorflow/tfjs';
import { InputError } from '@covseg/io';

/** Pure tfjs backends (no custom kernels) a reference run can use: 'auto' takes wasm when it loads, else cpu. */
export type TfjsBackendChoice = 'auto' | 'wasm' | 'cpu';

/** Selects a pure tfjs backend (the ONNX parity check's reference); returns the one in use. */
export async function useTfjsBackend(choice: TfjsBackendChoice): Promise<string> {
  if (choice === 'wasm' || choice === 'auto') {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend('wasm')) return tf.getBackend();
    } catch (e) {
      if (choice === 'wasm') throw new InputError(`tfjs wasm backend does not load: ${(e as Error).message.split('\n')[0]}`);
    }
    if (choice === 'wasm') throw new InputError('tfjs wasm backend does not load');
  }
  await tf.setBackend('cpu');
  return tf.getBackend();
}
