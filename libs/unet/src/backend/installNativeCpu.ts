import type { NativeCpuAddon } from '@covseg/native-cpu';
import { registerNativeConvKernels } from './nativeConvKernels.js';

/** Replaces the `cpu` backend's slow kernels: convolutions by the addon's, the rest by JS fast paths. */
export function installNativeCpuKernels(addon: NativeCpuAddon): void {
  registerNativeConvKernels(addon);
}
