import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acquireRunLock, writeJsonAtomic } from '@covseg/io';
import { loadConfig } from './loadConfig.js';
import { runStages, type RunStagesOptions } from './runStages.js';
import type { Stage, StageContext } from './stage.js';
import { pipelineStages } from './stages/index.js';
import { writeRunReport } from './report/runReport.js';
import { runConfigFile, galleryFile } from './runLayout.js';

export interface RunPipelineOptions extends RunStagesOptions {
  configFile?: string;
  sets?: string[];
  runDir: string;
  quiet?: boolean;
  log?: (m: string) => void;
  /** Stages to run instead of the standard list (tests). */
  stages?: Stage[];
}

/** `covseg pipeline`: resolves the config, records it in DIR/config.json, runs every stage (resumable), writes the report. */
export async function runPipeline(opts: RunPipelineOptions) {
  const { config, hash } = loadConfig({ file: opts.configFile, sets: opts.sets });
  const runDir = resolve(opts.runDir);
  const lock = acquireRunLock(runDir, { command: 'covseg pipeline' }); // one run per folder: a second is refused, never interleaved
  try {
    writeJsonAtomic(runConfigFile(runDir), { hash, config });
    const ctx: StageContext = { runDir, config, configHash: hash, quiet: !!opts.quiet, log: opts.log ?? ((m) => process.stderr.write(m + '\n')) };
    const stages = opts.stages ?? pipelineStages;
    const results = await runStages(stages, ctx, opts);
    const galleryPath = galleryFile(runDir);
    const gallery = existsSync(galleryPath) ? JSON.parse(readFileSync(galleryPath, 'utf8')) : undefined;
    const report = writeRunReport({ runDir, stages: stages.map((s) => s.name), gallery });
    return { runDir, results, report, config, hash };
  } finally {
    lock.release();
  }
}
