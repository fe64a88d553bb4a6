#!/usr/bin/env node
// `npm test`: dependency-direction check, then Nx `build` (type-check) and `test` (vitest) for every
// project, then one closing line "N passed, N failed" summed from vitest's JSON reports.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const resultsDir = join(root, '.test-results');
const extra = process.argv.slice(2);
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

let failedSteps = 0;
if (run('node', ['tools/check-boundaries.mjs']) !== 0) failedSteps++;
rmSync(resultsDir, { recursive: true, force: true });
const nx = join(root, 'node_modules', '.bin', 'nx');
if (run(nx, ['run-many', '-t', 'build', 'test', '--parallel=1', '--outputStyle=stream', ...extra]) !== 0) failedSteps++;

let passed = 0, failed = 0, skipped = 0;
if (existsSync(resultsDir)) {
  for (const f of readdirSync(resultsDir).filter((f) => f.endsWith('.json'))) {
    const r = JSON.parse(readFileSync(join(resultsDir, f), 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    // a test file that failed to load counts as one failure (its tests never ran)
    failed += (r.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0).length;
  }
}
// every project with a test script must have left its report: a missing one means its tests never ran
const workspaces = ['libs', 'apps'].flatMap((d) => readdirSync(join(root, d)).map((p) => join(root, d, p)));
const expected = workspaces.filter((w) => existsSync(join(w, 'package.json')) && JSON.parse(readFileSync(join(w, 'package.json'), 'utf8')).scripts?.test).map((w) => w.split('/').pop());
const missing = expected.filter((name) => !existsSync(join(resultsDir, `${name}.json`)));
if (missing.length) {
  console.error(`no test report from: ${missing.join(', ')} (their tests did not run)`);
  failed += missing.length;
}
if (passed === 0) failed = Math.max(failed, 1);
if (failedSteps && failed === 0) failed = failedSteps;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || failedSteps > 0 ? 1 : 0);
