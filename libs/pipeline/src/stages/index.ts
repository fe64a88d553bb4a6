import type { Stage } from '../stage.js';
import { phantomStage } from './phantomStage.js';
import { ingestStage } from './ingestStage.js';

export * from './phantomStage.js';
export * from './ingestStage.js';

/** Every stage of `covseg pipeline`, in order. */
export const pipelineStages: Stage[] = [phantomStage, ingestStage];
