import type { NativeCpuAddon } from '@covseg/native-cpu';
import { registerCpuFastKernels } from './cpuFastKernels.js';
import { registerFusedGradients } from './fusedGradients.js';
import { registerNativeConvKernels } from './nativeConvKernels.js';
import { registerNativeTrainKernels } from './nativeTrainKernels.js';

/** Replaces the `cpu` backend's slow kernels: convolutions by the addon's, the rest by fast paths, one-pass gradients and fused batch-norm/Adam kernels. */
export function installNativeCpuKernels(addon: NativeCpuAddon): void {
  registerNativeConvKernels(addon);
  registerCpuFastKernels(addon);
  registerFusedGradients(addon);
  registerNativeTrainKernels(addon);
}
