export * from './config.js';
export * from './onnxProto.js';
export * from './layerGraph.js';
export * from './layout.js';
export * from './padding.js';
export * from './foldBatchNorm.js';
export * from './metadata.js';
export * from './exportOnnx.js';
export * from './segmenter.js';
export { LAYER_MAPPERS } from './mappers/registry.js';
/** Architecture fixture for tests and benchmarks (same layer types as libs/unet's buildUnet). */
export { buildReferenceUnet, REFERENCE_UNET, type ReferenceUnetOptions } from './testing/referenceUnet.js';
