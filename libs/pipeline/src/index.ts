export * from './configSchema.js';
export * from './loadConfig.js';
export * from './digest.js';
export * from './stageRecord.js';
export * from './stage.js';
export * from './runStages.js';
export * from './report/runReport.js';
