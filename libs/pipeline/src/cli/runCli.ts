import yargs, { type CommandModule } from 'yargs';

/** A mistake in the command line itself (unknown option, missing command): exit code 2. */
export class UsageError extends Error {}

/** One line for stderr: the error's message without a stack (full stack with COVSEG_DEBUG=1). */
export function formatError(e: unknown): string {
  if (process.env.COVSEG_DEBUG && e instanceof Error && e.stack) return e.stack;
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0];
}

export interface CliSpec {
  /** Program name, also the prefix of error lines. */
  name: string;
  usage: string;
  /** Message when no command is given. */
  demand: string;
  commands: readonly CommandModule<object, any>[];
  /** Exit code of a failure that is not a usage error (default 1). */
  exitCodeOf?: (e: unknown) => number;
}

/** Runs a yargs CLI: strict options, one `name: message` line on stderr and a non-zero exit code on failure. */
export async function runCli(argv: string[], spec: CliSpec): Promise<void> {
  const cli = yargs(argv)
    .scriptName(spec.name)
    .usage(spec.usage)
    .strict()
    .demandCommand(1, spec.demand)
    .recommendCommands()
    .help()
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  for (const c of spec.commands) cli.command(c);
  try {
    await cli.parseAsync();
  } catch (e) {
    process.stderr.write(`${spec.name}: ${formatError(e)}\n`);
    process.exitCode = e instanceof UsageError ? 2 : (spec.exitCodeOf?.(e) ?? 1);
  }
}
