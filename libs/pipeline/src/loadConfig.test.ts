import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAG_CONFIG_KEYS, loadCommandConfig, loadConfig, runConfigHash } from './index.js';

describe('config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'covseg-cfg-'));
  const file = (name: string, body: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
    return p;
  };

  it('merges defaults ← file (with extends) ← --set and hashes canonically', () => {
    const base = file('base.json', { phantom: { noiseHu: [1, 2] } });
    const child = file('child.json', { extends: 'base.json', phantom: { shape: [16, 64, 64] } });
    const { config, hash } = loadConfig({ file: child, sets: ['ingest.maxGapRatio=2', 'ingest.series="1.2.3"'] });
    expect(config.phantom.shape).toEqual([16, 64, 64]);
    expect(config.phantom.noiseHu).toEqual([1, 2]);
    expect(config.ingest.maxGapRatio).toBe(2);
    expect(config.ingest.series).toBe('1.2.3');
    expect(hash).toBe(runConfigHash(JSON.parse(JSON.stringify(config))));
    expect(loadConfig({ file: child }).hash).not.toBe(hash);
    void base;
  });

  it('names the key of a typo or a wrong type', () => {
    expect(() => loadConfig({ file: file('typo.json', { phantom: { shapee: [1, 2, 3] } }) })).toThrow(/unknown key phantom\.shapee/);
    expect(() => loadConfig({ file: file('type.json', { ingest: { maxGapRatio: 'big' } }) })).toThrow(/ingest\.maxGapRatio: .*expected number/i);
    expect(() => loadConfig({ file: file('bad.json', '{ not json') })).toThrow(/bad\.json: config is not valid JSON/);
    expect(() => loadConfig({ sets: ['nokey'] })).toThrow(/--set expects KEY\.PATH=VALUE/);
  });

  it('every flag of the flag table sets its config key: --window, --2d, and each command\'s numeric flags', () => {
    const values: Record<string, unknown> = { window: '-1350,150', '2d': true, patients: 7, seed: 11, slices: 13, count: 17, 'lesion-fraction': 0.25, 'min-confidence': 0.5 };
    const expected: Record<string, unknown> = { window: [-1350, 150], '2d': '2d', patients: 7, seed: 11, slices: 13, count: 17, 'lesion-fraction': 0.25, 'min-confidence': 0.5 };
    for (const [command, flags] of Object.entries(FLAG_CONFIG_KEYS)) {
      const { config } = loadCommandConfig(command, Object.fromEntries(Object.keys(flags).map((f) => [f, values[f]])));
      for (const [flag, key] of Object.entries(flags)) {
        const got = key.split('.').reduce<any>((o, k) => o[k], config);
        expect(got, `${command} --${flag} → ${key}`).toEqual(expected[flag]);
      }
    }
    expect(loadCommandConfig('ingest', { window: 'auto' }).config.ingest.window).toBe('auto');
    // --set comes after the flags: it wins
    expect(loadCommandConfig('cluster', { seed: 3, set: ['cluster.seed=4'] }).config.cluster.seed).toBe(4);
    expect(() => loadCommandConfig('ingest', { window: '150,-1350' })).toThrow(/--window '150,-1350' is not LO,HI/);
  });
});
