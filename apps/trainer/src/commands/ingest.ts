import type { Command } from '../cli.js';
import { notBuiltYet, withCommon } from '../cli.js';

export const ingestCommand: Command = {
  command: 'ingest <inputs..>',
  describe: 'read volumes, validate them and write cohort.jsonl',
  builder: (y) => withCommon(y),
  handler: async () => notBuiltYet('ingest'),
};
