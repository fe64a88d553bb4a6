import { loadConfig } from '@covseg/pipeline';

/** The resolved config of a command from its --config / --set options. */
export function configFromArgs(args: Record<string, unknown>) {
  return loadConfig({ file: typeof args.config === 'string' ? args.config : undefined, sets: Array.isArray(args.set) ? args.set.map(String) : [] });
}
