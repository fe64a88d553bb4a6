import type { Command } from '../cli.js';
import { notBuiltYet, withCommon } from '../cli.js';

export const relabelCommand: Command = {
  command: 'relabel',
  describe: 'segment a cohort with a trained model and draw a new shard store',
  builder: (y) => withCommon(y),
  handler: async () => notBuiltYet('relabel'),
};
