import * as tf from '@tensorflow/tfjs';
import { registerCpuFastKernels } from './cpuFastKernels.js';
import { registerJsConvFilterGrad } from './jsConvFilterGrad.js';

/**
 * Tests that train: the pure-JS `cpu` backend with this lib's JS fast paths (no addon), so a test's
 * numbers are the same on every machine and a 32² training step takes milliseconds, not seconds.
 */
export async function useDeterministicCpu(): Promise<void> {
  await tf.setBackend('cpu');
  registerJsConvFilterGrad();
  registerCpuFastKernels();
}
