import type { Command } from '../cli.js';

/**
 * Every `covseg` subcommand, in pipeline order, each loaded only when needed: a command's module pulls
 * in the libraries it runs, and `covseg evaluate` (scoring only) must not load tfjs.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  phantom: async () => (await import('./phantom.js')).phantomCommand,
  ingest: async () => (await import('./ingest.js')).ingestCommand,
  lungmask: async () => (await import('./lungmask.js')).lungmaskCommand,
  features: async () => (await import('./features.js')).featuresCommand,
  cluster: async () => (await import('./cluster.js')).clusterCommand,
  pseudolabel: async () => (await import('./pseudolabel.js')).pseudolabelCommand,
  review: async () => (await import('./review.js')).reviewCommand,
  'import-corrections': async () => (await import('./importCorrections.js')).importCorrectionsCommand,
  train: async () => (await import('./train.js')).trainCommand,
  relabel: async () => (await import('./relabel.js')).relabelCommand,
  predict: async () => (await import('./predict.js')).predictCommand,
  evaluate: async () => (await import('./evaluate.js')).evaluateCommand,
  pipeline: async () => (await import('./pipeline.js')).pipelineCommand,
};

/** The commands yargs needs for `argv`: only the named one when argv starts with a command name, else all (help, typos). */
export async function commandsFor(argv: readonly string[]): Promise<Command[]> {
  const named = COMMANDS[argv[0] ?? ''];
  return named ? [await named()] : Promise.all(Object.values(COMMANDS).map((load) => load()));
}
