import { join } from 'node:path';
import { z } from 'zod';
import { aboutFile, InputError, CONFIG_DIR, mergeConfig, readConfigFile, applyOverrides, configHash, parseWindow } from '@covseg/io';
import { configSchema, type CovsegConfig } from './configSchema.js';

/** One line per problem, naming the key path: "features.sigmas: expected array, received string". */
export function describeConfigIssues(err: z.ZodError): string {
  return err.issues
    .map((i) => {
      const at = i.path.join('.');
      if (i.code === 'unrecognized_keys') return `unknown key ${i.keys.map((k) => (at ? `${at}.${k}` : k)).join(', ')}`;
      return `${at || '(root)'}: ${i.message}`;
    })
    .join('; ');
}

/** Validates a merged config object; throws InputError naming each bad key. */
export function validateConfig(raw: unknown, source = 'config'): CovsegConfig {
  const r = configSchema.safeParse(raw);
  if (!r.success) throw new InputError(`invalid config: ${describeConfigIssues(r.error)}`, source);
  return r.data;
}


/** Resolved config: configs/default.json ← file (with extends) ← --set overrides, validated. */
export function loadConfig(opts: { file?: string; sets?: readonly string[] } = {}): { config: CovsegConfig; hash: string } {
  const defaults = readConfigFile(join(CONFIG_DIR, 'default.json'));
  const file = opts.file;
  const raw = applyOverrides(file ? aboutFile(file, () => mergeConfig(defaults, readConfigFile(file))) : defaults, opts.sets ?? []);
  const config = validateConfig(raw, opts.file ?? 'config');
  return { config, hash: runConfigHash(config) };
}

/** Hex digits of a run's config hash in stage records (enough to tell configs apart). */
const RUN_CONFIG_HASH_DIGITS = 16;

/** The config hash of a run's stage records: the first 16 hex digits of io's configHash. */
export function runConfigHash(cfg: unknown): string {
  return configHash(cfg).slice(0, RUN_CONFIG_HASH_DIGITS);
}

/**
 * The one table of command-line flags that set config keys: per command, flag (as yargs names it) →
 * config key. A command offers exactly these flags besides --config / --set, so a flag it takes is
 * always honoured; any other is refused by the CLI's strict parsing (e.g. --window on `cluster`,
 * which reads ingested volumes and never a picture).
 */
export const FLAG_CONFIG_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ingest: { window: 'ingest.window', '2d': 'ingest.dimensions' },
  predict: { window: 'ingest.window', '2d': 'ingest.dimensions' },
  pipeline: { window: 'ingest.window', '2d': 'ingest.dimensions' },
  cluster: { patients: 'cluster.patients', seed: 'cluster.seed' },
  pseudolabel: { slices: 'pseudolabel.slices' },
  review: { count: 'review.count', seed: 'review.seed' },
  relabel: { slices: 'relabel.slices', 'lesion-fraction': 'relabel.lesionFraction', 'min-confidence': 'relabel.minConfidence' },
};

/** A flag's value as the JSON of its config key (--window LO,HI|auto; --2d; numbers as given). */
function flagValueJson(key: string, value: unknown): string | undefined {
  if (key === 'ingest.window') {
    if (typeof value !== 'string') return undefined;
    if (value.trim() === 'auto') return JSON.stringify('auto');
    const w = parseWindow(value);
    return JSON.stringify([w.low, w.high]);
  }
  if (key === 'ingest.dimensions') return value === true ? JSON.stringify('2d') : undefined;
  return value === undefined ? undefined : JSON.stringify(value);
}

/** `KEY=JSON` overrides from a command's flags (FLAG_CONFIG_KEYS), before its --set ones. */
export function flagOverrides(command: string, args: Record<string, unknown>): string[] {
  return Object.entries(FLAG_CONFIG_KEYS[command] ?? {}).flatMap(([flag, key]) => {
    const json = flagValueJson(key, args[flag]);
    return json === undefined ? [] : [`${key}=${json}`];
  });
}

/** The resolved config of `covseg <command>` from its --config, its config flags and its --set overrides. */
export function loadCommandConfig(command: string, args: Record<string, unknown>): { config: CovsegConfig; hash: string } {
  const sets = [...flagOverrides(command, args), ...(Array.isArray(args.set) ? args.set.map(String) : [])];
  return loadConfig({ file: typeof args.config === 'string' ? args.config : undefined, sets });
}
