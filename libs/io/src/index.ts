export * from './volume.js';
export * from './errors.js';
export * from './atomicWrite.js';
