export * from './volume.js';
export * from './errors.js';
export * from './atomicWrite.js';
export * from './huValues.js';
export * from './dicomSeries.js';
export * from './readVolume.js';
export * from './writeVolume.js';
export * from './sliceShards.js';
