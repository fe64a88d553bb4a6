#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (no build step needed after `npm ci`).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/main.ts');
await main(process.argv.slice(2));
