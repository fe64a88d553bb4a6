import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCampaign, reportTable } from './fuzz/campaign.js';

/**
 * The seeded subset of the fuzz campaign (`npm run fuzz` runs the full one): 50 mutated inputs over every
 * format, each run through the CLI; every one must end in a valid output or one clean error line.
 */
describe('fuzz (seeded subset)', () => {
  it('50 mutated inputs: no crash, hang, out-of-memory, raw library output or partial output', async () => {
    const out = mkdtempSync(join(tmpdir(), 'covseg-fuzz-'));
    const t0 = Date.now();
    const records = await runCampaign({ seed: 'npm-test', cases: 50, jobs: 1, timeoutMs: 90_000, out, log: () => {} });
    console.log(reportTable(records, { seed: 'npm-test', seconds: (Date.now() - t0) / 1000 }));
    expect(records).toHaveLength(50);
    expect(records.filter((r) => r.outcome !== 'ok' && r.outcome !== 'clean-error').map((r) => `case ${r.index} (${r.format}, ${r.outcome}): ${r.what} → ${r.detail}`)).toEqual([]);
    // both outcomes occur: the mutations are neither all harmless nor all fatal
    expect(records.some((r) => r.outcome === 'ok') && records.some((r) => r.outcome === 'clean-error')).toBe(true);
  }, 900_000);
});
