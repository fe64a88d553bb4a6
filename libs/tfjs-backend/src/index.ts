export { selectBackend, BACKEND_ORDER, type BackendChoice, type SelectedBackend, type SelectOptions } from './selectBackend.js';
export { installNativeCpuKernels } from './installNativeCpu.js';
export { composedConv2DBackpropFilter, composedConv2DBackpropFilterConfig } from './wasmConv2DBackpropFilter.js';
export { restoreStockKernels, replacedKernels, stockKernel } from './kernelRegistry.js';
export { nativeTrainingActive, fusedAdam, fusedSegmentationLoss } from './nativeTrainKernels.js';
export { registerCpuFastKernels } from './cpuFastKernels.js';
export { registerJsConvFilterGrad } from './jsConvFilterGrad.js';
export { useDeterministicCpu } from './deterministicCpu.js';
export { useTfjsBackend, type TfjsBackendChoice } from './pureBackend.js';
// selectBackend's BackendName lacks 'auto'; the CLI-facing one (with 'auto') is the lib's BackendName.
export * from './config.js';
export * from './activateBackend.js';
/** Test helpers for libs that check their tfjs code on each backend (tests only). */
export { seeded, relErr, stockAndOurs } from './testUtil.js';
export { tinyUnet, tinyLoss, tinyBatch } from './tinyNet.js';
export { findWebgpuAdapter } from './webgpuAdapter.js';
export { chunkRows } from './webgpuConv2DBackpropFilter.js';
