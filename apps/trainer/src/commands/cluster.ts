import type { Command } from '../cli.js';
import { notBuiltYet, withCommon } from '../cli.js';

export const clusterCommand: Command = {
  command: 'cluster',
  describe: 'fit mini-batch K-means on candidate voxels of a cohort → kmeans.json',
  builder: (y) => withCommon(y),
  handler: async () => notBuiltYet('cluster'),
};
