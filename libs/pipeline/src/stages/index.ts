import { join } from 'node:path';
import type { Stage } from '../stage.js';
import { phantomStage } from './phantomStage.js';
import { ingestStage } from './ingestStage.js';
import { trainStage } from './trainStage.js';
import { relabelStage, relabelDir } from './relabelStage.js';
import { exportStage } from './exportStage.js';
import { predictStage } from './predictStage.js';
import { evaluateStage } from './evaluateStage.js';
import { reportStage } from './reportStage.js';

export * from './phantomStage.js';
export * from './ingestStage.js';
export * from './trainStage.js';
export * from './relabelStage.js';
export * from './exportStage.js';
export * from './predictStage.js';
export * from './evaluateStage.js';
export * from './reportStage.js';

/** Every stage of `covseg pipeline`, in order. */
export const pipelineStages: Stage[] = [
  phantomStage,
  ingestStage,
  trainStage('unet-a', (ctx) => join(ctx.runDir, 'pseudolabel', 'shards'), 'train Unet-A on the pseudo-label shards'),
  relabelStage,
  trainStage('unet-b', (ctx) => join(relabelDir(ctx.runDir), 'shards'), 'train Unet-B on the relabelled shards'),
  exportStage,
  predictStage,
  evaluateStage,
  reportStage(() => pipelineStages.map((s) => s.name)),
];
