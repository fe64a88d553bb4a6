import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from './errors.js';

/** The repository's configs/ folder (defaults live in configs/default.json). */
export const CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../configs');

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Deep merge: objects merge key by key, everything else (arrays included) is replaced. */
export function mergeConfig(base: Json, over: Json): Json {
  if (base && over && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
    const out: { [k: string]: Json } = { ...base };
    for (const [k, v] of Object.entries(over)) {
      if (FORBIDDEN_KEYS.has(k)) throw new InputError(`'${k}' is not a config key`);
      out[k] = k in base ? mergeConfig(base[k], v) : v;
    }
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

/** Reads a config file, following `"extends": "<file>"` (relative to the file) before merging; drops `$comment`. */
export function readConfigFile(path: string, depth = 0): { [k: string]: Json } {
  if (depth > 8) throw new InputError('config "extends" chain is too deep', path);
  const j = readJson(path);
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new InputError('config must be a JSON object', path);
  const { extends: parent, $comment: _c, ...rest } = j;
  if (parent === undefined) return rest;
  if (typeof parent !== 'string' || !parent.trim()) throw new InputError(`"extends" must name a config file, got ${JSON.stringify(parent)}`, path);
  const parentPath = isAbsolute(parent) ? parent : join(dirname(path), parent);
  if (!existsSync(parentPath) || !statSync(parentPath).isFile()) throw new InputError(`"extends": no such config file ${parentPath}`, path);
  let parentConfig: { [k: string]: Json };
  try {
    parentConfig = readConfigFile(parentPath, depth + 1);
  } catch (e) {
    // name the file the user gave, then the one it extends
    throw e instanceof InputError ? new InputError(`in "extends": ${e.message}`, path) : e;
  }
  return mergeConfig(parentConfig, rest) as { [k: string]: Json };
}

/** Keys that would reach an object's prototype when merged: never config keys. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Applies `a.b.c=value` overrides (value parsed as JSON when it parses, else a string). */
export function applyOverrides(cfg: Json, sets: readonly string[]): Json {
  let out = cfg;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new InputError(`--set expects KEY.PATH=VALUE, got '${s}'`);
    const keys = s.slice(0, eq).split('.');
    if (keys.some((k) => !k || FORBIDDEN_KEYS.has(k))) throw new InputError(`--set: '${s.slice(0, eq)}' is not a config key path`);
    let value: Json;
    try {
      value = JSON.parse(s.slice(eq + 1));
    } catch {
      value = s.slice(eq + 1);
    }
    out = mergeConfig(out, keys.reduceRight<Json>((acc, key) => ({ [key]: acc }), value));
  }
  return out;
}

/** One section of configs/default.json, unvalidated (each lib parses it with its own schema). */
export function defaultConfigSection(name: string): unknown {
  const d = readConfigFile(join(CONFIG_DIR, 'default.json'));
  if (!(name in d)) throw new InputError(`configs/default.json has no section '${name}'`);
  return d[name];
}
