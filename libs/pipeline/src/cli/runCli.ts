import yargs, { type CommandModule } from 'yargs';
import { installStopHandlers, Interrupted, STOP_SIGNALS, stopRequested } from '@covseg/io';

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

/**
 * `--option -1350,150` → `--option=-1350,150`: the parser takes a value that starts with '-' and is not a
 * plain number (a negative window, a list) for a group of short flags ('Unknown arguments: 0, 1, 3, 5').
 */
export function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (/^--[^=]+$/.test(argv[i]) && i + 1 < argv.length && /^-\d/.test(argv[i + 1])) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/** Runs a yargs CLI: strict options, one `name: message` line on stderr and a non-zero exit code on failure. */
export async function runCli(argv: string[], spec: CliSpec): Promise<void> {
  const cli = yargs(joinNegativeValues(argv))
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
  installStopHandlers((line) => process.stderr.write(`\n${spec.name}: ${line}\n`));
  try {
    await cli.parseAsync();
  } catch (e) {
    process.stderr.write(`${spec.name}: ${formatError(e)}\n`);
    process.exitCode = e instanceof Interrupted ? e.exitCode : e instanceof UsageError ? 2 : (spec.exitCodeOf?.(e) ?? 1);
  }
  const stop = stopRequested();
  if (stop) {
    // asked to stop but the command reached its end first: its work is complete, the exit code still says it was stopped
    if (process.exitCode === undefined || process.exitCode === 0) process.stderr.write(`${spec.name}: ${new Interrupted(stop).message}\n`);
    // leave now: worker threads and backends must not keep an interrupted run alive (exit handlers remove temp files and locks)
    process.exit(STOP_SIGNALS[stop]);
  }
}
