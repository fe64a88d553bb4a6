export * from './config.js';
export * from './selectSlices.js';
export * from './relabelCohort.js';
export * from './runRelabel.js';
