import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Scale-out through the CLI, as a Slurm array or a Kubernetes Indexed Job runs it: n `--shard k/n`
 * workers, then the merge step (`cluster --merge`; `pseudolabel` / `relabel` / `predict` without
 * `--shard`), give the same outputs as one run. 5 phantom cases, so no shard count divides them evenly.
 */
const bin = new URL('../bin/covseg.mjs', import.meta.url).pathname;
const covseg = (args: string[]) => spawnSync(process.execPath, [bin, ...args, '--quiet'], { encoding: 'utf8', timeout: 120_000 });
const ok = (args: string[]) => {
  const r = covseg(args);
  expect(r.status, `covseg ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
};
const shards = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}/${n}`);

/** Every file under `dir`, relative and sorted (dot files too: a temp file left behind shows). */
const tree = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => statSync(join(dir, f)).isFile()).sort();

/** `a` and `b` hold the same files with the same bytes; `normalise` may first blank what is meant to differ (timings). */
function expectSameTree(a: string, b: string, normalise: (file: string, bytes: Buffer) => unknown = (_f, x) => x) {
  expect(tree(b)).toEqual(tree(a));
  for (const f of tree(a)) expect(normalise(f, readFileSync(join(b, f))), f).toEqual(normalise(f, readFileSync(join(a, f))));
}

/** predict's outputs less the wall-clock parts: report timings, and the SEG's ContentDate (0008,0023) / ContentTime (0008,0033). */
function withoutTimings(file: string, bytes: Buffer): unknown {
  if (file.endsWith('report.json')) return { ...JSON.parse(bytes.toString('utf8')), timings: undefined };
  if (file.endsWith('report.csv')) {
    const rows = bytes.toString('utf8').trim().split('\n').map((r) => r.split(','));
    const drop = new Set(['total_s', 'seconds_per_slice'].map((c) => rows[0].indexOf(c)));
    expect(drop.has(-1)).toBe(false);
    return rows.map((r) => r.filter((_, i) => !drop.has(i)));
  }
  if (file.endsWith('.dcm')) {
    const b = Buffer.from(bytes);
    for (const tag of [[0x08, 0x00, 0x23, 0x00], [0x08, 0x00, 0x33, 0x00]]) {
      const at = b.indexOf(Buffer.from(tag), 132);
      expect(at, `${file}: tag ${tag}`).toBeGreaterThan(0);
      b.fill(0, at + 8, at + 8 + b.readUInt16LE(at + 6));
    }
    return b;
  }
  return bytes;
}

describe('scale-out: n --shard workers + the merge step = one run (CLI)', () => {
  const root = mkdtempSync(join(tmpdir(), 'covseg-scale-'));
  const ph = join(root, 'phantom');
  const config = join(root, 'small.json');
  const model = join(root, 'model');

  beforeAll(() => {
    writeFileSync(config, JSON.stringify({ cluster: { patients: 4, sampleVoxels: 20000 }, pseudolabel: { slices: 10 }, relabel: { slices: 8, lesionFraction: 0.5 } }));
    ok(['phantom', '--out', ph, '--cases', '5', '--shape', '12,64,64']);
  }, 120_000);

  it('cluster: 3 workers sample, --merge fits → the same kmeans.json as one run; missing or stale samples are refused', () => {
    const c = ['--cohort', ph, '--lung-from-label', '--config', config];
    ok(['cluster', ...c, '--out', join(root, 'one', 'kmeans.json')]);

    const out = join(root, 'sharded', 'kmeans.json');
    const early = covseg(['cluster', ...c, '--out', out, '--merge']);
    expect(early.status).not.toBe(0);
    expect(early.stderr.trim()).toMatch(/^covseg: \S+: no sample for case case-\d+: run every 'covseg cluster --shard k\/n' worker before --merge$/);
    expect(covseg(['cluster', ...c, '--out', out, '--shard', '1/3', '--merge']).stderr).toMatch(/--shard and --merge exclude each other/);

    for (const k of shards(3)) expect(ok(['cluster', ...c, '--out', out, '--shard', k]).stdout).toMatch(/sampled [12] case\(s\)/);
    expect(existsSync(out)).toBe(false); // workers only sample
    ok(['cluster', ...c, '--out', out, '--merge']);
    expect(readFileSync(out).equals(readFileSync(join(root, 'one', 'kmeans.json')))).toBe(true);

    // samples drawn under another configuration are not silently mixed into a fit
    const stale = covseg(['cluster', ...c, '--out', join(root, 'stale.json'), '--samples', join(root, 'sharded', 'samples'), '--merge', '--set', 'cluster.sampleVoxels=30000']);
    expect(stale.status).not.toBe(0);
    expect(stale.stderr.trim()).toMatch(/^covseg: \S+case-\d+\.json: sample drawn with seed \d+, 5000 voxels per case; this fit wants seed \d+, 7500 per case: a stale sample/);
  });

  it('pseudolabel: 2 workers + the drawing run → byte-identical labels/ and shards/ as one run', () => {
    const c = ['--cohort', ph, '--lung-from-label', '--config', config, '--kmeans', join(root, 'one', 'kmeans.json')];
    ok(['pseudolabel', ...c, '--out', join(root, 'pl-one')]);
    for (const k of shards(2)) expect(ok(['pseudolabel', ...c, '--out', join(root, 'pl-sharded'), '--shard', k]).stdout).toMatch(/shard \d\/2 done; run without --shard/);
    expect(readdirSync(join(root, 'pl-sharded'))).toEqual(['labels']); // workers draw nothing
    expect(ok(['pseudolabel', ...c, '--out', join(root, 'pl-sharded')]).stdout).toMatch(/0 labelled, 5 reused/);
    expectSameTree(join(root, 'pl-one'), join(root, 'pl-sharded'));
  });

  it('relabel: 3 workers + the drawing run → byte-identical labels/ and shards/ as one run', () => {
    ok(['train', '--model', 'unet-a', '--shards', join(root, 'pl-one', 'shards'), '--out', model, '--backend', 'cpu',
      '--set', 'unet.inputSize=32', '--set', 'unet.depth=1', '--set', 'unet.baseFilters=2', '--set', 'train.epochs=1', '--set', 'train.stepsPerEpoch=2', '--set', 'train.batchSize=2']);
    const c = ['--cohort', ph, '--model', model, '--config', config, '--backend', 'cpu'];
    ok(['relabel', ...c, '--out', join(root, 'rl-one')]);
    for (const k of shards(3)) ok(['relabel', ...c, '--out', join(root, 'rl-sharded'), '--shard', k]);
    expect(readdirSync(join(root, 'rl-sharded'))).toEqual(['labels']);
    expect(ok(['relabel', ...c, '--out', join(root, 'rl-sharded')]).stdout).toMatch(/0 segmented, 5 reused/);
    expectSameTree(join(root, 'rl-one'), join(root, 'rl-sharded'));
  });

  it('predict on a folder of cases: 2 workers + the merging run → the same labels, reports and DICOM SEGs as one run (wall-clock fields aside)', () => {
    const c = [ph, '--model', model, '--backend', 'cpu'];
    ok(['predict', ...c, '--out', join(root, 'pr-one')]);
    for (const k of shards(2)) ok(['predict', ...c, '--out', join(root, 'pr-sharded'), '--shard', k]);
    expect(readdirSync(join(root, 'pr-sharded'))).not.toContain('report.csv'); // the merge is the unsharded run's
    ok(['predict', ...c, '--out', join(root, 'pr-sharded')]);
    expect(tree(join(root, 'pr-one')).filter((f) => f.endsWith('labels.nii.gz'))).toHaveLength(5);
    expectSameTree(join(root, 'pr-one'), join(root, 'pr-sharded'), withoutTimings);
  });
});
