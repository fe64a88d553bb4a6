import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireRunLock, CONFIG_DIR, createRng, RUN_LOCK } from '@covseg/io';
import { hostname } from 'node:os';

/** A kill -9 in the middle of training, then a rerun, ends with the same outputs as an uninterrupted run. */
const bin = new URL('../bin/covseg.mjs', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'covseg-kill-'));
const config = join(root, 'tiny.json');
writeFileSync(config, JSON.stringify({
  extends: join(CONFIG_DIR, 'default.json'),
  pipeline: { phantomCases: 4, heldOutCases: 1 },
  phantom: { shape: [16, 96, 96] },
  cluster: { patients: 3, sampleVoxels: 50000 },
  pseudolabel: { slices: 24 },
  review: { count: 2 },
  unet: { inputSize: 64, depth: 2, baseFilters: 4 },
  train: { epochs: 16, stepsPerEpoch: 4, batchSize: 2, validationFraction: 0.34, earlyStopping: { patience: 0, minDelta: 0 } },
}));
const args = (out: string, until = 'unet-a') => [bin, 'pipeline', '--config', config, '--out', out, '--until', until, '--quiet'];
const run = (out: string, until = 'unet-a') => {
  const r = spawnSync(process.execPath, args(out, until), { encoding: 'utf8', timeout: 540_000 });
  if (r.status !== 0) console.error(`pipeline --out ${out} --until ${until}: exit ${r.status}${r.signal ? ` (${r.signal})` : ''}\n${r.stderr}`);
  return r;
};
const straight = join(root, 'straight');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the pipeline, waits until `ready()` holds (and `delayMs` more), sends `signal`; resolves to its
 * exit code and stderr.
 */
async function signalWhen(out: string, until: string, ready: () => boolean, signal: NodeJS.Signals, delayMs = 0) {
  const child = spawn(process.execPath, args(out, until), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  for (let waited = 0; !ready(); waited += 20) {
    if (waited > 240_000) throw new Error('the signal point never came');
    await sleep(20);
  }
  await sleep(delayMs);
  child.kill(signal);
  return { code: await exited, stderr };
}

/** Starts the pipeline, waits until `ready()` holds, kills it with SIGKILL. */
const killWhen = (out: string, until: string, ready: () => boolean) => signalWhen(out, until, ready, 'SIGKILL');

/** Files under `dir` (recursive) whose name starts with `.tmp-` or is a run lock: none may outlive a run. */
const leftovers = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /(^|\/)(\.tmp-|\.covseg-lock)/.test(f));
/** The seed of the signal points (COVSEG_SIGNAL_SEED picks another draw). */
const rng = createRng(`signals:${process.env.COVSEG_SIGNAL_SEED ?? 1}`);

describe('kill -9 and rerun', () => {
  it('training killed after its first checkpoint resumes to the same weights as an uninterrupted run', async () => {
    expect(run(straight).status).toBe(0);

    const killed = join(root, 'killed');
    const ckpts = join(killed, 'unet-a', 'checkpoints');
    await killWhen(killed, 'unet-a', () => existsSync(ckpts) && readdirSync(ckpts).some((d) => d.startsWith('ckpt-')));
    expect(existsSync(join(killed, 'unet-a', 'done.json'))).toBe(false); // it really died mid-training
    expect(run(killed).status).toBe(0);

    for (const f of ['cluster/kmeans.json', 'pseudolabel/shards/index.json', 'unet-a/weights.bin']) {
      expect(readFileSync(join(killed, f)).equals(readFileSync(join(straight, f))), f).toBe(true);
    }
    // the same losses and Dice every epoch (wall-clock seconds aside)
    const metrics = (dir: string) => readFileSync(join(dir, 'unet-a/metrics.jsonl'), 'utf8').trim().split('\n').map((l) => ({ ...JSON.parse(l), seconds: 0 }));
    expect(metrics(killed)).toEqual(metrics(straight));
  }, 600_000);

  it('pseudo-labelling killed after its first case resumes to the same labels and shards', async () => {
    if (!existsSync(join(straight, 'pseudolabel', 'done.json'))) expect(run(straight, 'pseudolabel').status).toBe(0); // when run alone (-t)
    const killed = join(root, 'killed-pseudolabel');
    const labels = join(killed, 'pseudolabel', 'labels');
    await killWhen(killed, 'pseudolabel', () => existsSync(labels) && readdirSync(labels).some((f) => f.endsWith('.nii.gz')));
    expect(existsSync(join(killed, 'pseudolabel', 'done.json'))).toBe(false); // it really died mid-stage
    expect(run(killed, 'pseudolabel').status).toBe(0);
    // every file, dot files too: a temp file the killed process left half-written must not remain
    const files = (dir: string, sub: string) => readdirSync(join(dir, sub)).sort();
    for (const sub of ['pseudolabel/labels', 'pseudolabel/shards']) {
      expect(files(killed, sub)).toEqual(files(straight, sub));
      for (const f of files(straight, sub)) expect(readFileSync(join(killed, sub, f)).equals(readFileSync(join(straight, sub, f))), `${sub}/${f}`).toBe(true);
    }
  }, 600_000);

  it('a second run on a folder that another live run holds is refused with one line naming the holder; nothing is touched', () => {
    const held = join(root, 'held');
    mkdirSync(held, { recursive: true });
    const lock = acquireRunLock(held, { command: 'covseg pipeline' });
    try {
      const second = spawnSync(process.execPath, args(held, 'phantom'), { encoding: 'utf8', timeout: 240_000 });
      expect(second.status).toBe(1);
      expect(String(second.stderr).trim()).toMatch(new RegExp(`^covseg: \\S+held: in use by another covseg run \\(pid ${process.pid} on ${hostname()}, since \\S+: covseg pipeline\\); wait for it to finish, or, if that run is gone, delete \\S+${RUN_LOCK}$`));
      expect(readdirSync(held)).toEqual([RUN_LOCK]);
    } finally {
      lock.release();
    }
  }, 300_000);

  it('Ctrl-C (SIGINT) at a seeded point of pseudo-labelling: exit 130, no temp file or lock left, rerun ends as an uninterrupted run', async () => {
    if (!existsSync(join(straight, 'pseudolabel', 'done.json'))) expect(run(straight, 'pseudolabel').status).toBe(0); // when run alone (-t)
    const out = join(root, 'sigint-pseudolabel');
    const labels = join(out, 'pseudolabel', 'labels');
    // stop once the first label file is being written, + a seeded delay: the tiny stage takes about a second on a quiet machine
    const afterCases = 0, delayMs = rng.int(0, 50);
    const r = await signalWhen(out, 'pseudolabel', () => existsSync(labels) && readdirSync(labels).filter((f) => f.endsWith('.nii.gz')).length >= afterCases, 'SIGINT', delayMs);
    expect(r.code).toBe(130);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('covseg: interrupted by SIGINT; finished work is kept, rerun the same command to resume');
    expect(leftovers(out)).toEqual([]);
    console.log(`SIGINT after ${afterCases} labelled case(s) + ${delayMs} ms: pseudolabel ${existsSync(join(out, 'pseudolabel', 'done.json')) ? 'had finished' : 'stopped mid-stage'}`);
    expect(run(out, 'pseudolabel').status).toBe(0);
    const files = (dir: string, sub: string) => readdirSync(join(dir, sub)).sort();
    for (const sub of ['pseudolabel/labels', 'pseudolabel/shards']) {
      expect(files(out, sub)).toEqual(files(straight, sub));
      for (const f of files(straight, sub)) expect(readFileSync(join(out, sub, f)).equals(readFileSync(join(straight, sub, f))), `${sub}/${f}`).toBe(true);
    }
  }, 900_000);

  it('SIGTERM at a seeded point of training: exit 143 with a checkpoint and no done.json, rerun resumes to the same weights', async () => {
    if (!existsSync(join(straight, 'unet-a', 'done.json'))) expect(run(straight).status).toBe(0);
    const out = join(root, 'sigint-pseudolabel'); // the previous test's run, pseudo-labelled: this one trains in it
    if (!existsSync(join(out, 'pseudolabel', 'done.json'))) expect(run(out, 'pseudolabel').status).toBe(0);
    const metrics = join(out, 'unet-a', 'metrics.jsonl');
    const afterEpochs = rng.int(1, 8), delayMs = rng.int(0, 500);
    const r = await signalWhen(out, 'unet-a', () => existsSync(metrics) && readFileSync(metrics, 'utf8').trim().split('\n').length >= afterEpochs, 'SIGTERM', delayMs);
    expect(r.code).toBe(143);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^covseg: interrupted by SIGTERM; finished work is kept/);
    expect(existsSync(join(out, 'unet-a', 'done.json'))).toBe(false);
    expect(readdirSync(join(out, 'unet-a', 'checkpoints')).some((d) => d.startsWith('ckpt-'))).toBe(true);
    expect(leftovers(out)).toEqual([]);
    console.log(`SIGTERM after ${afterEpochs} epoch(s) + ${delayMs} ms`);
    expect(run(out).status).toBe(0);
    expect(readFileSync(join(out, 'unet-a/weights.bin')).equals(readFileSync(join(straight, 'unet-a/weights.bin')))).toBe(true);
  }, 900_000);
});
