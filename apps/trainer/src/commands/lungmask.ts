import type { Command } from '../cli.js';
import { notBuiltYet, withCommon } from '../cli.js';

export const lungmaskCommand: Command = {
  command: 'lungmask <input>',
  describe: 'classical 3D lung mask (or import an external one)',
  builder: (y) => withCommon(y),
  handler: async () => notBuiltYet('lungmask'),
};
