import { loadConfig } from '@covseg/pipeline';

/** The resolved config of a command from its --config / --set options. */
export function configFromArgs(args: { config?: string; set?: string[] }) {
  return loadConfig({ file: args.config, sets: args.set ?? [] });
}
