import type { NativeCpuAddon } from '@covseg/native-cpu';
import { registerCpuFastKernels } from './cpuFastKernels.js';
import { registerFusedGradients } from './fusedGradients.js';
import { registerNativeConvKernels } from './nativeConvKernels.js';

/** Replaces the `cpu` backend's slow kernels: convolutions by the addon's, the rest by JS fast paths and one-pass gradients. */
export function installNativeCpuKernels(addon: NativeCpuAddon): void {
  registerNativeConvKernels(addon);
  registerCpuFastKernels(addon);
  registerFusedGradients(addon);
}
