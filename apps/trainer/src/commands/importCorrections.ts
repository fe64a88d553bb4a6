import type { Command } from '../cli.js';
import { notBuiltYet, withCommon } from '../cli.js';

export const importCorrectionsCommand: Command = {
  command: 'import-corrections',
  describe: 'replace shard labels with hand-corrected slices',
  builder: (y) => withCommon(y),
  handler: async () => notBuiltYet('import-corrections'),
};
