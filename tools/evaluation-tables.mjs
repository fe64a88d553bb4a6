#!/usr/bin/env node
// Prints a run's evaluation tables as Markdown (Dice, confusion matrix per source, lesion budget) from
// DIR/evaluate/summary.json and DIR/evaluate/lesion-budget.json: `node tools/evaluation-tables.mjs runs/demo`.
// To recompute them after a change: `npx covseg pipeline --config CONFIG --out DIR --from evaluate`.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { register } from 'tsx/esm/api';

register();
const runDir = resolve(process.argv[2] ?? join(new URL('..', import.meta.url).pathname, 'runs', 'demo'));
if (!existsSync(join(runDir, 'evaluate', 'summary.json'))) {
  process.stderr.write(`covseg: ${runDir}: no evaluate/summary.json (run the evaluate stage first)\n`);
  process.exit(1);
}
const { evaluationTablesMarkdown } = await import('../libs/pipeline/src/report/evaluationTables.ts');
process.stdout.write(evaluationTablesMarkdown(runDir));
