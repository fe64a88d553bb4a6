export * from './config.js';
export * from './generateCase.js';
export * from './writeCohort.js';
