import { join } from 'node:path';
import { z } from 'zod';
import { aboutFile, InputError, CONFIG_DIR, mergeConfig, readConfigFile, applyOverrides, configHash } from '@covseg/io';
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
