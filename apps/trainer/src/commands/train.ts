import type { Command } from '../cli.js';
import { notBuiltYet, withCommon } from '../cli.js';

export const trainCommand: Command = {
  command: 'train',
  describe: 'train Unet-A or Unet-B on a shard store',
  builder: (y) => withCommon(y),
  handler: async () => notBuiltYet('train'),
};
