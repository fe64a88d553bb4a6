#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs bench/<name>.ts (features, kmeans, train, infer); no name = all.
// Each bench installs its Python peer from Debian packages when missing and prints ratios measured in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const benchDir = join(root, 'bench');
mkdirSync(join(benchDir, 'out'), { recursive: true });
const available = readdirSync(benchDir).filter((f) => f.endsWith('.ts') && !f.startsWith('_')).map((f) => f.slice(0, -3)).sort();
const [name, ...rest] = process.argv.slice(2);
const names = name ? [name] : available;
let failed = 0;
for (const n of names) {
  const file = join(benchDir, `${n}.ts`);
  if (!existsSync(file)) {
    console.error(`bench: no benchmark '${n}' (available: ${available.join(', ')})`);
    process.exit(2);
  }
  console.log(`\n=== bench ${n} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file, ...rest], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
