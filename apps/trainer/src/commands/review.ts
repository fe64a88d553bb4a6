import type { Command } from '../cli.js';
import { notBuiltYet, withCommon } from '../cli.js';

export const reviewCommand: Command = {
  command: 'review',
  describe: 'overlay PNGs and an HTML gallery of random shard slices',
  builder: (y) => withCommon(y),
  handler: async () => notBuiltYet('review'),
};
