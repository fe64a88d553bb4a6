export * from './lesions.js';
export * from './caseReport.js';
export * from './csv.js';
