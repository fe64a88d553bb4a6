import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { aboutFile, InputError, CONFIG_DIR, mergeConfig, readConfigFile, applyOverrides } from '@covseg/io';
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
  return { config, hash: configHash(config) };
}

/** SHA-256 (first 16 hex) of the config's canonical JSON (keys sorted). */
export function configHash(cfg: unknown): string {
  const canon = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canon((v as any)[k])])) : Array.isArray(v) ? v.map(canon) : v;
  return createHash('sha256').update(JSON.stringify(canon(cfg))).digest('hex').slice(0, 16);
}
