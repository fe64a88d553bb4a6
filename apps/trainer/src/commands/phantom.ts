import type { Command } from '../cli.js';
import { notBuiltYet, withCommon } from '../cli.js';

export const phantomCommand: Command = {
  command: 'phantom',
  describe: 'write a synthetic chest CT cohort with exact labels',
  builder: (y) => withCommon(y),
  handler: async () => notBuiltYet('phantom'),
};
