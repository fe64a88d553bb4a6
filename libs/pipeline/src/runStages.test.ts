import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStages, type Stage, type StageContext } from './index.js';

function setup() {
  const runDir = mkdtempSync(join(tmpdir(), 'covseg-run-'));
  const input = join(runDir, 'input.txt');
  writeFileSync(input, 'v1');
  const calls: string[] = [];
  const mk = (name: string, fail = false): Stage => ({
    name,
    describe: name,
    inputs: () => [input],
    run: async () => {
      calls.push(name);
      if (fail) throw new Error(`${name} killed`);
      return { n: calls.length };
    },
  });
  const ctx = (hash = 'h1'): StageContext => ({ runDir, config: {} as any, configHash: hash, quiet: true, log: () => {} });
  return { runDir, input, calls, mk, ctx };
}

describe('runStages', () => {
  it('skips completed stages, reruns on config or input change, honours --from/--until', async () => {
    const { runDir, input, calls, mk, ctx } = setup();
    const stages = [mk('a'), mk('b'), mk('c')];
    await runStages(stages, ctx());
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(existsSync(join(runDir, 'b', 'done.json'))).toBe(true);
    await runStages(stages, ctx());
    expect(calls).toHaveLength(3);
    await runStages(stages, ctx(), { from: 'b', until: 'b' });
    expect(calls.slice(3)).toEqual(['b']);
    await runStages(stages, ctx('h2'), { until: 'a' });
    expect(calls.slice(4)).toEqual(['a']);
    writeFileSync(input, 'v2');
    const r = await runStages(stages, ctx('h2'));
    expect(calls.slice(5)).toEqual(['a', 'b', 'c']);
    expect(r.map((x) => x.status)).toEqual(['ran', 'ran', 'ran']);
    await expect(runStages(stages, ctx(), { from: 'zz' })).rejects.toThrow(/unknown stage 'zz'/);
  });

  it('an interrupted stage leaves no done.json and runs again next time', async () => {
    const { runDir, calls, mk, ctx } = setup();
    await expect(runStages([mk('a'), mk('b', true)], ctx())).rejects.toThrow(/b killed/);
    expect(existsSync(join(runDir, 'a', 'done.json'))).toBe(true);
    expect(existsSync(join(runDir, 'b', 'done.json'))).toBe(false);
    await runStages([mk('a'), mk('b')], ctx());
    expect(calls).toEqual(['a', 'b', 'b']);
  });

  it('keeps partial outputs of an interrupted stage, but clears stale ones when the config changed', async () => {
    const { runDir, mk, ctx } = setup();
    const partial = join(runDir, 'b', 'case-1.nii.gz');
    const seen: boolean[] = [];
    const b = (fail: boolean): Stage => ({ ...mk('b'), run: async () => {
      seen.push(existsSync(partial));
      writeFileSync(partial, 'x');
      if (fail) throw new Error('killed');
    } });
    await expect(runStages([b(true)], ctx('h1'))).rejects.toThrow(/killed/);
    await runStages([b(false)], ctx('h1'));
    await runStages([b(false)], ctx('h2'));
    expect(seen).toEqual([false, true, false]);
  });
});
