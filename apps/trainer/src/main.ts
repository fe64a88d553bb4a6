import yargs from 'yargs';
import { commands } from './commands/index.js';
import { formatError } from './formatError.js';

/** Entry point of the `covseg` CLI. */
export async function main(argv: string[]): Promise<void> {
  const cli = yargs(argv)
    .scriptName('covseg')
    .usage('covseg <stage> [options]\n\nWeakly supervised COVID-19 lung CT segmentation: one subcommand per pipeline stage.')
    .strict()
    .demandCommand(1, 'name a stage (see the list above)')
    .recommendCommands()
    .help()
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  for (const c of commands) cli.command(c);
  try {
    await cli.parseAsync();
  } catch (e) {
    process.stderr.write(`covseg: ${formatError(e)}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  }
}

class UsageError extends Error {}
