import yargs from 'yargs';
import { formatError } from './cli.js';
import { commands } from './commands/index.js';
import { VerifyFailed } from './commands/verify.js';

/** Exit codes: 1 error (bad input, conversion refused), 2 usage, 3 parity check failed. */
const EXIT = { error: 1, usage: 2, verifyFailed: 3 } as const;

class UsageError extends Error {}

/** Entry point of the `covseg-export` CLI. */
export async function main(argv: string[]): Promise<void> {
  const cli = yargs(argv)
    .scriptName('covseg-export')
    .usage('covseg-export <command> [options]\n\nExport trained covseg U-Nets to ONNX and check them against ONNX Runtime.')
    .strict()
    .demandCommand(1, 'name a command (see the list above)')
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
    process.stderr.write(`covseg-export: ${formatError(e)}\n`);
    process.exitCode = e instanceof UsageError ? EXIT.usage : e instanceof VerifyFailed ? EXIT.verifyFailed : EXIT.error;
  }
}
