import type { Argv, CommandModule } from 'yargs';

/** A covseg-export subcommand. */
export type Command = CommandModule<object, any>;

/** Options every command takes. */
export function withCommon<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', describe: 'JSON config file (validated; its "export" section is used)' })
    .option('set', { type: 'string', array: true, describe: 'config override KEY.PATH=VALUE (repeatable), e.g. export.verify.maxAbsDiff=1e-5' });
}
