import type { Command } from '../cli.js';
import { phantomCommand } from './phantom.js';
import { ingestCommand } from './ingest.js';
import { lungmaskCommand } from './lungmask.js';
import { featuresCommand } from './features.js';
import { clusterCommand } from './cluster.js';
import { pseudolabelCommand } from './pseudolabel.js';
import { reviewCommand } from './review.js';
import { importCorrectionsCommand } from './importCorrections.js';
import { trainCommand } from './train.js';
import { relabelCommand } from './relabel.js';
import { predictCommand } from './predict.js';
import { evaluateCommand } from './evaluate.js';
import { pipelineCommand } from './pipeline.js';

/** Every `covseg` subcommand, in pipeline order. */
export const commands: Command[] = [
  phantomCommand, ingestCommand, lungmaskCommand, featuresCommand, clusterCommand, pseudolabelCommand, reviewCommand,
  importCorrectionsCommand, trainCommand, relabelCommand, predictCommand, evaluateCommand, pipelineCommand,
];
