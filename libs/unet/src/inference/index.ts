export * from './config.js';
export * from './segmenter.js';
export * from './postprocess.js';
export * from './segmentVolume.js';
export * from './predictCase.js';
export * from './lungMaskFromFile.js';
export * from './segmentSliceFiles.js';
