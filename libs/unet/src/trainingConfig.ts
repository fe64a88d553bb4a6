import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '@covseg/io';
import { TrainingSections } from './config.js';

const CONFIGS = new URL('../../../configs/', import.meta.url);
const SECTIONS = ['unet', 'augment', 'train'] as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge: objects merge key by key, anything else in `over` replaces `base`. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

function readJson(path: string | URL): Json {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8'));
    if (!isObject(v)) throw new Error('top level is not an object');
    return v;
  } catch (e) {
    throw new InputError(`cannot read JSON config: ${(e as Error).message.split('\n')[0]}`, String(path instanceof URL ? path.pathname : path));
  }
}

/** The default unet/augment/train sections: configs/default.json when present, else configs/parts/<section>.json. */
export function defaultTrainingSections(): Json {
  const composed = new URL('default.json', CONFIGS);
  if (existsSync(composed)) {
    const d = readJson(composed);
    if (SECTIONS.every((s) => isObject(d[s]))) return Object.fromEntries(SECTIONS.map((s) => [s, d[s]]));
  }
  return Object.fromEntries(SECTIONS.map((s) => [s, readJson(new URL(`parts/${s}.json`, CONFIGS))]));
}

/** Applies `a.b.c=value` overrides (value parsed as JSON when it parses, else kept as a string). */
export function applyOverrides(config: Json, sets: readonly string[]): Json {
  let out: unknown = config;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new InputError(`--set expects KEY.PATH=VALUE, got '${s}'`);
    const path = s.slice(0, eq).split('.');
    let value: unknown = s.slice(eq + 1);
    try {
      value = JSON.parse(value as string);
    } catch {
      /* keep as string */
    }
    out = deepMerge(out, path.reduceRight<unknown>((acc, k) => ({ [k]: acc }), value));
  }
  return out as Json;
}

/**
 * Resolves the training sections: defaults ← config file (its unet/augment/train keys; other
 * sections are ignored) ← `--set` overrides; validated, a bad value → InputError naming key and file.
 */
export function resolveTrainingSections(configFile?: string, sets: readonly string[] = []): TrainingSections {
  const file = configFile ? readJson(configFile) : {};
  const picked = Object.fromEntries(SECTIONS.filter((s) => s in file).map((s) => [s, file[s]]));
  const merged = applyOverrides(deepMerge(defaultTrainingSections(), picked) as Json, sets);
  const r = TrainingSections.safeParse(Object.fromEntries(SECTIONS.map((s) => [s, merged[s]])));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(`invalid config at ${issue.path.join('.') || '(root)'}: ${issue.message}`, configFile ?? 'defaults');
  }
  return r.data;
}
