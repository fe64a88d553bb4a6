export * from './config.js';
export * from './overlap.js';
export * from './readLabelPng.js';
export * from './evaluate.js';
export * from './perCaseCsv.js';
export * from './confusion.js';
export * from './confusionTables.js';
