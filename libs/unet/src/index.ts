export * from './config.js';
export * from './normalize.js';
export * from './resize.js';
export * from './augment.js';
export * from './model.js';
export * from './dataset.js';
export * from './oversampleCorrected.js';
export * from './loss.js';
export * from './metrics.js';
export * from './adam.js';
export * from './modelFiles.js';
export * from './savedUnet.js';
export * from './checkpoint.js';
export * from './epochMetrics.js';
export * from './svgChart.js';
export * from './preview.js';
export * from './trainUnet.js';
/** Test fixtures for libs that train or run small U-Nets in their tests (tests only). */
export { syntheticShardDir, syntheticSlice, tinySections, writeSyntheticShards } from './testing/syntheticSlices.js';
