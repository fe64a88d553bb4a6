import { join } from 'node:path';
import { ingestCohort, readCohort, writeJsonAtomic, InputError, type CohortCase } from '@covseg/io';
import { readFileSync, existsSync } from 'node:fs';
import type { Stage, StageContext } from '../stage.js';
import { phantomDir } from './phantomStage.js';

/** The cohort inputs of a run: the configured ones, or the generated phantom cohort. */
export const cohortInputs = (ctx: StageContext) => (ctx.config.pipeline.inputs.length ? ctx.config.pipeline.inputs : [phantomDir(ctx.runDir)]);
export const cohortFile = (runDir: string) => join(runDir, 'ingest', 'cohort.jsonl');
export const splitFile = (runDir: string) => join(runDir, 'ingest', 'split.json');

/** Train / held-out case ids of a run. */
export interface Split {
  train: string[];
  heldOut: string[];
}

/** Held-out cases: the last `n` usable cases that have reference labels (deterministic: cohort order). */
export function splitCohort(cases: CohortCase[], n: number): Split {
  const ok = cases.filter((c) => c.status === 'ok');
  const labelled = ok.filter((c) => c.label);
  const heldOut = labelled.slice(Math.max(0, labelled.length - n)).map((c) => c.id);
  if (ok.length - heldOut.length < 1) throw new InputError(`cohort has ${ok.length} usable case(s): none left for training after holding out ${heldOut.length}`);
  return { train: ok.filter((c) => !heldOut.includes(c.id)).map((c) => c.id), heldOut };
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
    const out = join(ctx.runDir, 'ingest');
    const cases = await ingestCohort(cohortInputs(ctx), out, { ...ctx.config.ingest, series: ctx.config.ingest.series ?? undefined, quiet: ctx.quiet, onNote: (file, note) => ctx.log(`[ingest] note: ${file}: ${note}`) });
    const bad = cases.filter((c) => c.status === 'error');
    for (const c of bad) ctx.log(`[ingest] skipped ${c.id}: ${c.error}`);
    const split = splitCohort(cases, ctx.config.pipeline.heldOutCases);
    writeJsonAtomic(splitFile(ctx.runDir), split);
    return { cases: cases.length, errors: bad.length, train: split.train.length, heldOut: split.heldOut.length };
  },
};
