import type { Command } from '../cli.js';
import { notBuiltYet, withCommon } from '../cli.js';

export const featuresCommand: Command = {
  command: 'features <input>',
  describe: 'the 8 voxel features (HU, Gaussian, Hessian, Frangi) as NIfTI channels',
  builder: (y) => withCommon(y),
  handler: async () => notBuiltYet('features'),
};
