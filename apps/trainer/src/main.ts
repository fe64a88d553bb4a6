import { runCli } from '@covseg/pipeline/cli';
import { commandsFor } from './commands/index.js';

/** Entry point of the `covseg` CLI. */
export async function main(argv: string[]): Promise<void> {
  return runCli(argv, {
    name: 'covseg',
    usage: 'covseg <stage> [options]\n\nWeakly supervised COVID-19 lung CT segmentation: one subcommand per pipeline stage.',
    demand: 'name a stage (see the list above)',
    commands: await commandsFor(argv),
  });
}
