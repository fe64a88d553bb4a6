#!/usr/bin/env node
// `npm run demo`: the whole pipeline on the built-in phantom cohort (configs/demo.json → runs/demo),
// then the per-class Dice against the phantom truth, one case's volumes report, and where the report is.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

register();
const root = new URL('..', import.meta.url).pathname;
const runDir = join(root, 'runs', 'demo');
const extra = process.argv.slice(2);
const t0 = Date.now();
const { main } = await import('../apps/trainer/src/main.ts');
await main(['pipeline', '--config', join(root, 'configs', 'demo.json'), '--out', runDir, ...extra]);
if (process.exitCode) process.exit(process.exitCode);

const seconds = (Date.now() - t0) / 1000;
const summaryFile = join(runDir, 'evaluate', 'summary.json');
if (existsSync(summaryFile)) {
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  const classes = ['lung', 'ggo', 'consolidation', 'vessels', 'lesion'];
  const cases = Object.values(summary)[0]?.cases ?? 0;
  for (const [key, title] of [['dice', 'per case, then mean'], ['dice_pooled', 'pooled over all held-out voxels']]) {
    console.log(`\nDice vs phantom truth (${cases} held-out cases; ${title}):`);
    console.log(['model'.padEnd(12), ...classes.map((c) => c.padStart(15))].join(''));
    for (const [model, s] of Object.entries(summary)) console.log([model.padEnd(12), ...classes.map((c) => (s[key]?.[c] ?? NaN).toFixed(3).padStart(15))].join(''));
  }
}
const predictDir = join(runDir, 'predict');
if (existsSync(predictDir)) {
  const first = readdirSync(predictDir).sort().find((c) => existsSync(join(predictDir, c, 'report.json')));
  if (first) {
    const r = JSON.parse(readFileSync(join(predictDir, first, 'report.json'), 'utf8'));
    console.log(`\nVolumes of ${first}: ${JSON.stringify(r.volumes_l)} L, ratios ${JSON.stringify(r.ratios_pct)} %`);
  }
}
console.log(`\nreport: ${join(runDir, 'report', 'index.html')}`);
console.log(`demo wall time ${seconds.toFixed(0)} s, peak RSS of the main process ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
