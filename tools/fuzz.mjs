#!/usr/bin/env node
// `npm run fuzz -- --seed S --cases N [--jobs J] [--formats dicom,nifti,…] [--timeout S] [--out DIR]`:
// the seeded fuzz campaign of the covseg CLI (apps/trainer/src/fuzz); not part of `npm test`.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/trainer/src/fuzz/main.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
