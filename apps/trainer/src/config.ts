import { parseWindow } from '@covseg/io';
import { loadConfig } from '@covseg/pipeline/config';

/** Config overrides from the shortcut options --window and --2d. */
function shortcutSets(args: Record<string, unknown>): string[] {
  const sets: string[] = [];
  if (typeof args.window === 'string') {
    const w = args.window.trim() === 'auto' ? 'auto' : parseWindow(args.window);
    sets.push(`ingest.window=${JSON.stringify(w === 'auto' ? w : [w.low, w.high])}`);
  }
  if (args['2d'] === true) sets.push('ingest.dimensions="2d"');
  return sets;
}

/** The resolved config of a command from its --config / --set options (and the --window / --2d shortcuts). */
export function configFromArgs(args: Record<string, unknown>) {
  return loadConfig({ file: typeof args.config === 'string' ? args.config : undefined, sets: [...shortcutSets(args), ...(Array.isArray(args.set) ? args.set.map(String) : [])] });
}
