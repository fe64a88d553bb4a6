export { selectBackend, BACKEND_ORDER, type BackendName, type BackendChoice, type SelectedBackend, type SelectOptions } from './selectBackend.js';
export { installNativeCpuKernels } from './installNativeCpu.js';
export { composedConv2DBackpropFilter, composedConv2DBackpropFilterConfig } from './wasmConv2DBackpropFilter.js';
export { restoreStockKernels, replacedKernels, stockKernel } from './kernelRegistry.js';
