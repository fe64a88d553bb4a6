#!/usr/bin/env node
// Writes configs/default.json from the per-section defaults in configs/parts/<section>.json.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
const dir = new URL('../configs/', import.meta.url).pathname;
const out = { $comment: 'covseg defaults (demo-sized). Generated from configs/parts/*.json by tools/compose-default-config.mjs.' };
const only = process.argv.slice(2);
for (const f of readdirSync(dir + 'parts').filter((f) => f.endsWith('.json') && (!only.length || only.includes(f.replace(/\.json$/, '')))).sort()) out[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(dir + 'parts/' + f, 'utf8'));
writeFileSync(dir + 'default.json', JSON.stringify(out, null, 2) + '\n');
console.log(`configs/default.json: ${Object.keys(out).length - 1} sections`);
