import { InputError, throwIfStopRequested } from '@covseg/io';
import type { Stage, StageContext } from './stage.js';
import { completedRecord, prepareStageDir, writeStageRecord } from './stageRecord.js';

export interface RunStagesOptions {
  from?: string;
  until?: string;
}

/**
 * Runs stages in order: a stage whose done.json matches the config hash and its inputs' digests is
 * skipped; `from` forces a rerun from that stage on; `until` stops after that stage.
 */
export async function runStages(stages: Stage[], ctx: StageContext, opts: RunStagesOptions = {}): Promise<{ name: string; status: 'ran' | 'skipped' | 'disabled'; seconds?: number }[]> {
  const names = stages.map((s) => s.name);
  for (const n of [opts.from, opts.until]) if (n && !names.includes(n)) throw new InputError(`unknown stage '${n}' (stages: ${names.join(', ')})`);
  const fromIdx = opts.from ? names.indexOf(opts.from) : -1;
  const untilIdx = opts.until ? names.indexOf(opts.until) : names.length - 1;
  const results = [];
  for (let i = 0; i <= untilIdx; i++) {
    throwIfStopRequested(); // between stages: the finished ones have their done.json
    const s = stages[i];
    if (s.enabled && !s.enabled(ctx)) {
      results.push({ name: s.name, status: 'disabled' as const });
      continue;
    }
    const inputs = s.inputs(ctx);
    const { record, reason } = completedRecord(ctx.runDir, s.name, ctx.configHash, inputs);
    if (record && i < (fromIdx < 0 ? Infinity : fromIdx)) {
      ctx.log(`[${s.name}] done (${record.seconds} s earlier) — skipped`);
      results.push({ name: s.name, status: 'skipped' as const, seconds: record.seconds });
      continue;
    }
    const mode = prepareStageDir(ctx.runDir, s.name, ctx.configHash, inputs);
    ctx.log(`[${s.name}] ${s.describe} (${i >= fromIdx && fromIdx >= 0 ? 'forced by --from' : reason}${mode === 'resume' ? '; resuming an interrupted run' : ''})`);
    const started = new Date();
    const summary = (await s.run(ctx)) ?? undefined;
    const rec = writeStageRecord(ctx.runDir, s.name, ctx.configHash, inputs, started, summary);
    ctx.log(`[${s.name}] finished in ${rec.seconds} s`);
    results.push({ name: s.name, status: 'ran' as const, seconds: rec.seconds });
  }
  return results;
}
