import type { Argv, CommandModule } from 'yargs';
import { acquireRunLock, parseShard } from '@covseg/io';

/** A covseg subcommand: yargs builder + an async handler that returns normally on success. */
export type Command = CommandModule<object, any>;

/** Shared options every command takes. */
export function withCommon<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', describe: 'JSON config file (validated; merged over configs/default.json)' })
    .option('set', { type: 'string', array: true, describe: 'config override KEY.PATH=VALUE (repeatable)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress bars' });
}

/** The options of commands that read pictures or DICOM slices themselves (ingest, predict, pipeline): FLAG_CONFIG_KEYS maps them to ingest.*. */
export function withPictureFlags<T>(y: Argv<T>) {
  return y
    .option('window', { type: 'string', describe: "8-bit PNG/JPG slices → HU: LO,HI (e.g. -1250,250) or 'auto' (estimated from the picture); sets ingest.window" })
    .option('2d', { type: 'boolean', describe: "every DICOM file / PNG / JPG is its own 1-slice case; sets ingest.dimensions = '2d'" });
}

/**
 * Runs `work` holding the lock of run folder `dir`: one covseg run per folder, a second one is refused
 * with a line naming the holder. Workers of a `--shard k/n` run lock only their share.
 */
export async function inRunFolder<T>(dir: string, command: string, shard: string | undefined, work: () => Promise<T>): Promise<T> {
  const s = parseShard(shard);
  const lock = acquireRunLock(dir, { command: `covseg ${command}`, shard: s.n > 1 ? `${s.k}-of-${s.n}` : undefined });
  try {
    return await work();
  } finally {
    lock.release();
  }
}
