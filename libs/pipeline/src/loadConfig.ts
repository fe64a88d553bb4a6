import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InputError } from '@covseg/io';
import { configSchema, type CovsegConfig } from './configSchema.js';

/** The repository's configs/ folder (defaults live in configs/default.json). */
export const CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../configs');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Deep merge: objects merge key by key, everything else (arrays included) is replaced. */
export function mergeConfig(base: Json, over: Json): Json {
  if (base && over && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
    const out: { [k: string]: Json } = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeConfig(base[k], v) : v;
    return out;
  }
  return over;
}

function readJson(path: string): Json {
  if (!existsSync(path)) throw new InputError('config file not found', path);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`config is not valid JSON: ${(e as Error).message}`, path);
  }
}

/** Reads a config file, following `"extends": "<file>"` (relative to the file) before merging. */
function readConfigFile(path: string, depth = 0): Json {
  if (depth > 8) throw new InputError('config "extends" chain is too deep', path);
  const j = readJson(path) as { [k: string]: Json };
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new InputError('config must be a JSON object', path);
  const { extends: parent, $comment: _c, ...rest } = j;
  if (typeof parent === 'string') return mergeConfig(readConfigFile(isAbsolute(parent) ? parent : join(dirname(path), parent), depth + 1), rest);
  return rest;
}

/** Applies `a.b.c=value` overrides (value parsed as JSON when it parses, else a string). */
export function applyOverrides(cfg: Json, sets: readonly string[]): Json {
  let out = cfg;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new InputError(`--set expects KEY.PATH=VALUE, got '${s}'`);
    const path = s.slice(0, eq).split('.');
    let value: Json;
    try {
      value = JSON.parse(s.slice(eq + 1));
    } catch {
      value = s.slice(eq + 1);
    }
    const patch = path.reduceRight<Json>((acc, key) => ({ [key]: acc }), value);
    out = mergeConfig(out, patch);
  }
  return out;
}

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
  let raw = readConfigFile(join(CONFIG_DIR, 'default.json'));
  if (opts.file) raw = mergeConfig(raw, readConfigFile(opts.file));
  raw = applyOverrides(raw, opts.sets ?? []);
  const config = validateConfig(raw, opts.file ?? 'config');
  return { config, hash: configHash(config) };
}

/** SHA-256 (first 16 hex) of the config's canonical JSON (keys sorted). */
export function configHash(cfg: unknown): string {
  const canon = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canon((v as any)[k])])) : Array.isArray(v) ? v.map(canon) : v;
  return createHash('sha256').update(JSON.stringify(canon(cfg))).digest('hex').slice(0, 16);
}
