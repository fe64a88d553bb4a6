import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic, digestPath } from '@covseg/io';
import { stageDir, recordPath, startedPath } from './runLayout.js';

/** DIR/<stage>/done.json: present only when the stage completed. */
export interface StageRecord {
  stage: string;
  configHash: string;
  /** Digest of every input path when the stage ran. */
  inputs: Record<string, string>;
  startedAt: string;
  seconds: number;
  /** Free-form numbers the stage reports (counts, Dice…). */
  summary?: Record<string, unknown>;
}

/**
 * Prepares a stage's folder before it runs: partial outputs of an interrupted run with the same config
 * and inputs are kept (the stage resumes them); anything else there (another config, changed inputs,
 * an older complete run) is removed so no stale per-case output is reused. Returns 'resume' or 'fresh'.
 */
export function prepareStageDir(runDir: string, stage: string, configHash: string, inputs: string[]): 'resume' | 'fresh' {
  const dir = stageDir(runDir, stage);
  const key = { configHash, inputs: Object.fromEntries(inputs.map((i) => [i, digestPath(i)])) };
  if (existsSync(startedPath(runDir, stage)) && !existsSync(recordPath(runDir, stage))) {
    try {
      if (JSON.stringify(JSON.parse(readFileSync(startedPath(runDir, stage), 'utf8'))) === JSON.stringify(key)) return 'resume';
    } catch {
      /* unreadable: start fresh */
    }
  }
  rmSync(dir, { recursive: true, force: true });
  writeJsonAtomic(startedPath(runDir, stage), key);
  return 'fresh';
}

/** The stage's record if it completed with this config hash and unchanged inputs; else null (with the reason). */
export function completedRecord(runDir: string, stage: string, configHash: string, inputs: string[]): { record: StageRecord | null; reason: string } {
  const p = recordPath(runDir, stage);
  if (!existsSync(p)) return { record: null, reason: 'not run yet' };
  let rec: StageRecord;
  try {
    rec = JSON.parse(readFileSync(p, 'utf8'));
  } catch {
    return { record: null, reason: 'unreadable done.json' };
  }
  if (rec.configHash !== configHash) return { record: null, reason: 'config changed' };
  for (const i of inputs) if (rec.inputs[i] !== digestPath(i)) return { record: null, reason: `input changed: ${i}` };
  return { record: rec, reason: 'complete' };
}

/** Writes the stage's done.json (atomically) after it completed. */
export function writeStageRecord(runDir: string, stage: string, configHash: string, inputs: string[], startedAt: Date, summary?: Record<string, unknown>): StageRecord {
  const rec: StageRecord = {
    stage,
    configHash,
    inputs: Object.fromEntries(inputs.map((i) => [i, digestPath(i)])),
    startedAt: startedAt.toISOString(),
    seconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    ...(summary ? { summary } : {}),
  };
  writeJsonAtomic(recordPath(runDir, stage), rec);
  return rec;
}
