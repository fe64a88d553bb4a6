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
const args = (out: string) => [bin, 'pipeline', '--config', config, '--out', out, '--until', 'unet-a', '--quiet'];
const run = (out: string) => spawnSync(process.execPath, args(out), { encoding: 'utf8', timeout: 300_000 });

describe('kill -9 and rerun', () => {
  it('training killed after its first checkpoint resumes to the same weights as an uninterrupted run', async () => {
    const straight = join(root, 'straight');
    expect(run(straight).status).toBe(0);

    const killed = join(root, 'killed');
    const child = spawn(process.execPath, args(killed), { stdio: 'ignore' });
    const ckpts = join(killed, 'unet-a', 'checkpoints');
    const exited = new Promise((r) => child.on('exit', r));
    for (let waited = 0; ; waited += 20) {
      if (existsSync(ckpts) && readdirSync(ckpts).some((d) => d.startsWith('ckpt-'))) break;
      if (waited > 240_000) throw new Error('no checkpoint appeared');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(join(killed, 'unet-a', 'done.json'))).toBe(false); // it really died mid-training
    expect(run(killed).status).toBe(0);

    for (const f of ['cluster/kmeans.json', 'pseudolabel/shards/index.json', 'unet-a/weights.bin']) {
      expect(readFileSync(join(killed, f)).equals(readFileSync(join(straight, f))), f).toBe(true);
    }
    // the same losses and Dice every epoch (wall-clock seconds aside)
    const metrics = (dir: string) => readFileSync(join(dir, 'unet-a/metrics.jsonl'), 'utf8').trim().split('\n').map((l) => ({ ...JSON.parse(l), seconds: 0 }));
    expect(metrics(killed)).toEqual(metrics(straight));
  }, 600_000);
});
