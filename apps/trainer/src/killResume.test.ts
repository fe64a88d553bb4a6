import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_DIR } from '@covseg/io';

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
const run = (out: string, until = 'unet-a') => spawnSync(process.execPath, args(out, until), { encoding: 'utf8', timeout: 300_000 });
const straight = join(root, 'straight');

/** Starts the pipeline, waits until `ready()` holds, kills it with SIGKILL. */
async function killWhen(out: string, until: string, ready: () => boolean): Promise<void> {
  const child = spawn(process.execPath, args(out, until), { stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', r));
  for (let waited = 0; !ready(); waited += 20) {
    if (waited > 240_000) throw new Error('the kill point never came');
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await exited;
}

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
});
