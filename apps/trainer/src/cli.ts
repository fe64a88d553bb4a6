import type { Argv, CommandModule } from 'yargs';

/** A covseg subcommand: yargs builder + an async handler that returns normally on success. */
export type Command = CommandModule<object, any>;

/** Shared options every command takes. */
export function withCommon<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', describe: 'JSON config file (validated; merged over configs/default.json)' })
    .option('set', { type: 'string', array: true, describe: 'config override KEY.PATH=VALUE (repeatable)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress bars' })
    .option('window', { type: 'string', describe: "8-bit PNG/JPG slices → HU: LO,HI (e.g. -1250,250) or 'auto' (estimated from the picture); sets ingest.window" })
    .option('2d', { type: 'boolean', describe: "every DICOM file / PNG / JPG is its own 1-slice case; sets ingest.dimensions = '2d'" });
}

/** Marks a stage whose library is not built yet: exits non-zero with a one-line reason. */
export function notBuiltYet(stage: string): never {
  throw new Error(`'covseg ${stage}' is not available in this build yet`);
}
