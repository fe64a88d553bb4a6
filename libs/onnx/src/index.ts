export * from './config.js';
export * from './layerGraph.js';
export * from './layout.js';
export * from './padding.js';
export * from './foldBatchNorm.js';
export * from './exportOnnx.js';
export { LAYER_MAPPERS } from './mappers/registry.js';
/** Architecture fixture for tests and benchmarks (same layer types as libs/unet's buildUnet). */
export { buildReferenceUnet, REFERENCE_UNET, type ReferenceUnetOptions } from './testing/referenceUnet.js';
export * from './modelDir.js';
export * from './syntheticSlice.js';
export * from './verifySlices.js';
export * from './parity.js';
export * from './onnxChecker.js';
export * from './verifyExport.js';
export * from './modelDirExport.js';
export { unetTestConfig } from './testing/harness.js';
