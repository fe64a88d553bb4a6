#!/usr/bin/env node
// Enforces the layering, lowest first: io, native-cpu ← tfjs-backend; io ← phantom; io ← features ←
// pseudolabel ← evaluate (scoring, no tfjs); tfjs-backend, pseudolabel ← unet (training) ← inference
// (engines, segmentation, relabel, reports) ← onnx (export) ← pipeline ← apps. A project may import only
// projects listed for it, and an app never imports another app.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const allowed = {
  io: [],
  'native-cpu': [],
  'tfjs-backend': ['io', 'native-cpu'],
  phantom: ['io'],
  features: ['io'],
  pseudolabel: ['io', 'features'],
  evaluate: ['io', 'features', 'pseudolabel'],
  unet: ['io', 'features', 'pseudolabel', 'native-cpu', 'tfjs-backend'],
  inference: ['io', 'features', 'pseudolabel', 'evaluate', 'native-cpu', 'tfjs-backend', 'unet'],
  onnx: ['io', 'features', 'pseudolabel', 'tfjs-backend', 'unet', 'inference'],
  pipeline: ['io', 'phantom', 'features', 'pseudolabel', 'evaluate', 'tfjs-backend', 'unet', 'inference', 'onnx'],
  trainer: ['io', 'phantom', 'features', 'pseudolabel', 'evaluate', 'tfjs-backend', 'unet', 'inference', 'onnx', 'pipeline'],
  exporter: ['io', 'features', 'tfjs-backend', 'unet', 'inference', 'onnx', 'pipeline'],
};
const libs = ['io', 'native-cpu', 'tfjs-backend', 'phantom', 'features', 'pseudolabel', 'evaluate', 'unet', 'inference', 'onnx', 'pipeline'];
const projects = { ...Object.fromEntries(libs.map((p) => [p, `libs/${p}`])), trainer: 'apps/trainer', exporter: 'apps/exporter' };

function* tsFiles(dir) {
  let entries = [];
  try { entries = readdirSync(dir); } catch { return; }
  for (const e of entries) {
    if (e === 'node_modules' || e === 'dist') continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* tsFiles(p);
    else if (/\.(ts|mts|mjs|js)$/.test(e)) yield p;
  }
}

const errors = [];
for (const [name, dir] of Object.entries(projects)) {
  for (const file of tsFiles(join(root, dir))) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](@covseg\/[a-z-]+|\.\.\/(?:\.\.\/)+(?:libs|apps)\/[a-z-]+)/g)) {
      const target = m[1].startsWith('@covseg/') ? m[1].slice(8) : m[1].split('/').pop();
      if (target === name) continue;
      if (!allowed[name].includes(target)) errors.push(`${relative(root, file)}: ${name} must not import ${target} (allowed: ${allowed[name].join(', ') || 'none'})`);
    }
  }
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    if (dep.startsWith('@covseg/') && !allowed[name].includes(dep.slice(8))) errors.push(`${dir}/package.json: ${name} must not depend on ${dep}`);
  }
}
if (errors.length) {
  console.error(`dependency direction broken (${errors.length}):\n` + errors.join('\n'));
  process.exit(1);
}
console.log(`dependency direction ok (${Object.keys(projects).length} projects)`);
