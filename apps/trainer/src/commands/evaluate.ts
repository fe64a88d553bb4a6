import type { Command } from '../cli.js';
import { notBuiltYet, withCommon } from '../cli.js';

export const evaluateCommand: Command = {
  command: 'evaluate',
  describe: 'Dice, IoU and volume error per class against reference labels',
  builder: (y) => withCommon(y),
  handler: async () => notBuiltYet('evaluate'),
};
