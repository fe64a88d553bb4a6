import type { Command } from '../cli.js';
import { notBuiltYet, withCommon } from '../cli.js';

export const pipelineCommand: Command = {
  command: 'pipeline',
  describe: 'run every stage in order, resumable',
  builder: (y) => withCommon(y),
  handler: async () => notBuiltYet('pipeline'),
};
