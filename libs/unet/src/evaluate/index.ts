export * from './config.js';
export * from './overlap.js';
export * from './readLabelPng.js';
export * from './evaluate.js';
export * from './perCaseCsv.js';
