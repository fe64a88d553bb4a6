/**
 * `npm run fuzz -- --seed S --cases N [--jobs J] [--formats a,b] [--timeout SECONDS] [--out DIR]`: a seeded
 * fuzz campaign of the covseg CLI (see campaign.ts); prints the per-format table and exits 1 if any case crashed.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { runCampaign, reportTable } from './campaign.js';
import { FORMATS, type FormatName } from './formats.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    cases: { type: 'string', default: String(FORMATS.length * 20) },
    jobs: { type: 'string', default: '1' },
    formats: { type: 'string' },
    timeout: { type: 'string', default: '60' },
    heap: { type: 'string', default: '4096' },
    out: { type: 'string' },
  },
});
const formats = (values.formats?.split(',') ?? [...FORMATS]) as FormatName[];
const unknown = formats.filter((f) => !FORMATS.includes(f));
if (unknown.length) {
  console.error(`fuzz: unknown format(s) ${unknown.join(', ')} (formats: ${FORMATS.join(', ')})`);
  process.exit(2);
}
const out = resolve(values.out ?? `runs/fuzz/seed-${values.seed}`);
const t0 = Date.now();
const records = await runCampaign({ seed: values.seed!, cases: Number(values.cases), jobs: Number(values.jobs), formats, timeoutMs: Number(values.timeout) * 1000, heapMb: Number(values.heap), out });
console.log(reportTable(records, { seed: values.seed!, seconds: (Date.now() - t0) / 1000 }));
console.log(`cases: ${out}/cases.jsonl; inputs of every crash: ${out}/crashes/`);
process.exit(records.some((r) => r.outcome !== 'ok' && r.outcome !== 'clean-error') ? 1 : 0);
