import { pseudolabelShardsDir, relabelShardsDir } from '../runLayout.js';
import type { Stage } from '../stage.js';
import { phantomStage } from './phantomStage.js';
import { ingestStage } from './ingestStage.js';
import { lungmaskStage } from './lungmaskStage.js';
import { clusterStage } from './clusterStage.js';
import { pseudolabelStage } from './pseudolabelStage.js';
import { reviewStage } from './reviewStage.js';
import { importCorrectionsStage } from './importCorrectionsStage.js';
import { trainStage } from './trainStage.js';
import { relabelStage } from './relabelStage.js';
import { exportStage } from './exportStage.js';
import { predictStage } from './predictStage.js';
import { evaluateStage } from './evaluateStage.js';
import { reportStage } from './reportStage.js';

export * from './phantomStage.js';
export * from './ingestStage.js';
export * from './lungmaskStage.js';
export * from './clusterStage.js';
export * from './pseudolabelStage.js';
export * from './reviewStage.js';
export * from './importCorrectionsStage.js';
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
  lungmaskStage,
  clusterStage,
  pseudolabelStage,
  reviewStage,
  importCorrectionsStage,
  trainStage('unet-a', (ctx) => pseudolabelShardsDir(ctx.runDir), 'train Unet-A on the pseudo-label shards'),
  relabelStage,
  trainStage('unet-b', (ctx) => relabelShardsDir(ctx.runDir), 'train Unet-B on the relabelled shards'),
  exportStage,
  predictStage,
  evaluateStage,
  reportStage(() => pipelineStages.map((s) => s.name)),
];
