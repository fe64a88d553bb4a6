import { join } from 'node:path';
import { ingestCohort, isLesion, readCohort, readLabelVolume, writeJsonAtomic, InputError, type CohortCase } from '@covseg/io';
import { readFileSync, existsSync } from 'node:fs';
import type { Stage, StageContext } from '../stage.js';
import { phantomDir, ingestDir, cohortFile, splitFile } from '../runLayout.js';

/** The cohort inputs of a run: the configured ones, or the generated phantom cohort. */
export const cohortInputs = (ctx: StageContext) => (ctx.config.pipeline.inputs.length ? ctx.config.pipeline.inputs : [phantomDir(ctx.runDir)]);

/** Train / held-out case ids of a run. */
export interface Split {
  train: string[];
  heldOut: string[];
}

/**
 * Held-out cases: the last `n` usable cases that have reference labels (deterministic: cohort order), with at
 * least `minLesionFree` of the `lesionFree` ones among them when the cohort has that many — a lesion-free case
 * replaces the held-out lesion case nearest the front, so the split stays as close to cohort order as it can.
 */
export function splitCohort(cases: CohortCase[], n: number, lesionFree: ReadonlySet<string> = new Set(), minLesionFree = 0): Split {
  const ok = cases.filter((c) => c.status === 'ok');
  const labelled = ok.filter((c) => c.label);
  const heldOut = labelled.slice(Math.max(0, labelled.length - n)).map((c) => c.id);
  const spare = labelled.map((c) => c.id).filter((id) => lesionFree.has(id) && !heldOut.includes(id));
  for (let have = heldOut.filter((id) => lesionFree.has(id)).length; have < minLesionFree && spare.length; have++) {
    const k = heldOut.findIndex((id) => !lesionFree.has(id));
    if (k < 0) break;
    heldOut[k] = spare.pop()!;
  }
  heldOut.sort((a, b) => labelled.findIndex((c) => c.id === a) - labelled.findIndex((c) => c.id === b));
  if (ok.length - heldOut.length < 1) throw new InputError(`cohort has ${ok.length} usable case(s): none left for training after holding out ${heldOut.length}`);
  return { train: ok.filter((c) => !heldOut.includes(c.id)).map((c) => c.id), heldOut };
}

/** Ids of the usable cases whose reference labels hold no lesion voxel (GGO or consolidation). */
async function lesionFreeCases(cases: CohortCase[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const c of cases) {
    if (c.status !== 'ok' || !c.label) continue;
    const { data } = await readLabelVolume(c.label);
    if (!data.some(isLesion)) ids.add(c.id);
  }
  return ids;
}

export const readSplit = (runDir: string): Split => JSON.parse(readFileSync(splitFile(runDir), 'utf8'));

/** The usable cases of a run's cohort, optionally only those of one split. */
export function runCases(runDir: string, part?: keyof Split): CohortCase[] {
  const cases = readCohort(cohortFile(runDir)).filter((c) => c.status === 'ok');
  if (!part || !existsSync(splitFile(runDir))) return cases;
  const ids = new Set(readSplit(runDir)[part]);
  return cases.filter((c) => ids.has(c.id));
}

/** Reads and validates every case, writes cohort.jsonl and the train/held-out split. */
export const ingestStage: Stage = {
  name: 'ingest',
  describe: 'read and validate the cohort',
  inputs: (ctx) => cohortInputs(ctx),
  run: async (ctx) => {
    const out = ingestDir(ctx.runDir);
    const cases = await ingestCohort(cohortInputs(ctx), out, { ...ctx.config.ingest, series: ctx.config.ingest.series ?? undefined, quiet: ctx.quiet, onNote: (file, note) => ctx.log(`[ingest] note: ${file}: ${note}`) });
    const bad = cases.filter((c) => c.status === 'error');
    for (const c of bad) ctx.log(`[ingest] skipped ${c.id}: ${c.error}`);
    const { heldOutCases, heldOutLesionFree } = ctx.config.pipeline;
    const lesionFree = heldOutLesionFree > 0 ? await lesionFreeCases(cases) : new Set<string>();
    const split = splitCohort(cases, heldOutCases, lesionFree, heldOutLesionFree);
    writeJsonAtomic(splitFile(ctx.runDir), split);
    return { cases: cases.length, errors: bad.length, train: split.train.length, heldOut: split.heldOut.length };
  },
};
