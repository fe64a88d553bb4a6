import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '@covseg/io';
import { featuresConfigSchema, lungmaskConfigSchema } from '@covseg/features';
import { clusterConfigSchema, pseudolabelConfigSchema, reviewConfigSchema } from './config.js';

const CONFIGS = new URL('../../../configs/', import.meta.url);
/** The config sections the cluster / pseudolabel / review / import-corrections stages read (features and lungmask are libs/features'). */
export const pseudolabelSectionsSchema = z
  .object({ features: featuresConfigSchema, lungmask: lungmaskConfigSchema, cluster: clusterConfigSchema, pseudolabel: pseudolabelConfigSchema, review: reviewConfigSchema })
  .strict();
export type PseudolabelSections = z.infer<typeof pseudolabelSectionsSchema>;
const SECTIONS = ['features', 'lungmask', 'cluster', 'pseudolabel', 'review'] as const;

type Json = unknown;

function readJson(path: string | URL): Record<string, Json> {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`cannot read JSON config: ${(e as Error).message.split('\n')[0]}`, String(path instanceof URL ? path.pathname : path));
  }
}

const isObject = (v: Json): v is Record<string, Json> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Objects merge key by key; anything else is replaced. */
function merge(base: Json, over: Json): Json {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, Json> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k], v) : v;
  return out;
}

/** Applies one `a.b.c=value` override (value parsed as JSON when it parses, else a string). */
function applySet(cfg: Json, s: string): Json {
  const eq = s.indexOf('=');
  if (eq <= 0) throw new InputError(`--set expects KEY.PATH=VALUE, got '${s}'`);
  let value: Json;
  try {
    value = JSON.parse(s.slice(eq + 1));
  } catch {
    value = s.slice(eq + 1);
  }
  return merge(cfg, s.slice(0, eq).split('.').reduceRight<Json>((acc, key) => ({ [key]: acc }), value));
}

/** Defaults of a section: configs/default.json's when it has it, else configs/parts/<section>.json. */
function defaults(): Record<string, Json> {
  const composed = new URL('default.json', CONFIGS);
  const d = existsSync(composed) ? readJson(composed) : {};
  return Object.fromEntries(SECTIONS.map((s) => [s, d[s] ?? readJson(new URL(`parts/${s}.json`, CONFIGS))]));
}

/** features / lungmask / cluster / pseudolabel / review sections: defaults ← config file (these keys) ← `--set` overrides, validated. */
export function resolvePseudolabelSections(configFile?: string, sets: readonly string[] = []): PseudolabelSections {
  const file = configFile ? readJson(configFile) : {};
  let merged: Json = merge(defaults(), Object.fromEntries(SECTIONS.filter((s) => s in file).map((s) => [s, file[s]])));
  for (const s of sets) if (SECTIONS.some((n) => s.startsWith(`${n}.`))) merged = applySet(merged, s);
  const r = pseudolabelSectionsSchema.safeParse(merged);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(`invalid config at ${issue.path.join('.') || '(root)'}: ${issue.message}`, configFile ?? 'defaults');
  }
  return r.data;
}
