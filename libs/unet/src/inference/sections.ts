import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError, readLabelVolume, sameGrid, type Volume } from '@covseg/io';
import { applyOverrides, deepMerge } from '../trainingConfig.js';
import { PredictConfig } from './config.js';
import { RelabelConfig } from '../relabel/config.js';
import { EvaluateConfig } from '../evaluate/config.js';

const CONFIGS = new URL('../../../../configs/', import.meta.url);
/** The config sections predict / relabel / evaluate read. */
export const InferenceSections = z.object({ predict: PredictConfig, relabel: RelabelConfig, evaluate: EvaluateConfig }).strict();
export type InferenceSections = z.infer<typeof InferenceSections>;
const SECTIONS = ['predict', 'relabel', 'evaluate'] as const;

function readJson(path: string | URL): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`cannot read JSON config: ${(e as Error).message.split('\n')[0]}`, String(path instanceof URL ? path.pathname : path));
  }
}

/** Defaults: configs/default.json's sections when present there, else configs/parts/<section>.json. */
function defaults(): Record<string, unknown> {
  const composed = new URL('default.json', CONFIGS);
  const d = existsSync(composed) ? readJson(composed) : {};
  return Object.fromEntries(SECTIONS.map((s) => [s, d[s] ?? readJson(new URL(`parts/${s}.json`, CONFIGS))]));
}

/** predict/relabel/evaluate sections: defaults ← config file (these keys only) ← `--set` overrides, validated. */
export function resolveInferenceSections(configFile?: string, sets: readonly string[] = []): InferenceSections {
  const file = configFile ? readJson(configFile) : {};
  const picked = Object.fromEntries(SECTIONS.filter((s) => s in file).map((s) => [s, file[s]]));
  const merged = applyOverrides(deepMerge(defaults(), picked) as Record<string, unknown>, sets.filter((s) => SECTIONS.some((n) => s.startsWith(`${n}.`))));
  const r = InferenceSections.safeParse(Object.fromEntries(SECTIONS.map((s) => [s, merged[s]])));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(`invalid config at ${issue.path.join('.') || '(root)'}: ${issue.message}`, configFile ?? 'defaults');
  }
  return r.data;
}

/** A lung-mask provider reading an external mask file (nonzero = lung) that must lie on the CT's grid. */
export function lungMaskFromFile(file: string): (v: Volume) => Promise<Uint8Array> {
  return async (v) => {
    const m = await readLabelVolume(file);
    if (!sameGrid(m, v, 1e-2)) throw new InputError(`lung mask grid ${m.shape.join('×')} does not match the CT ${v.shape.join('×')} (shape, spacing, origin, direction)`, file);
    return m.data.map((x) => (x ? 1 : 0));
  };
}
