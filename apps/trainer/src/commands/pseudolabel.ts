import type { Command } from '../cli.js';
import { notBuiltYet, withCommon } from '../cli.js';

export const pseudolabelCommand: Command = {
  command: 'pseudolabel',
  describe: 'assign clusters, clean, write label volumes and slice shards',
  builder: (y) => withCommon(y),
  handler: async () => notBuiltYet('pseudolabel'),
};
