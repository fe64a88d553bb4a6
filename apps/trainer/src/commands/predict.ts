import type { Command } from '../cli.js';
import { notBuiltYet, withCommon } from '../cli.js';

export const predictCommand: Command = {
  command: 'predict <input>',
  describe: 'segment a CT: labels NIfTI, DICOM, volumes report',
  builder: (y) => withCommon(y),
  handler: async () => notBuiltYet('predict'),
};
