import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../bin/covseg.mjs', import.meta.url).pathname;
const covseg = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 110_000 });

describe('a flag is honoured or refused, never ignored', () => {
  it('--window and --2d on commands that never read a picture are refused (exit 2, one line) before any work', () => {
    for (const args of [['cluster', '--cohort', 'c', '--out', 'k.json', '--window', 'auto'], ['evaluate', '--pred', 'p', '--truth', 't', '--2d'], ['train', '--model', 'unet-a', '--shards', 's', '--out', 'o', '--window=-1350,150']]) {
      const r = covseg(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^covseg: Unknown argument: (window|2d)/);
    }
  });

  it('--backend with an .onnx model is refused (ONNX Runtime runs it; a tfjs backend cannot)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'covseg-flags-'));
    const model = join(dir, 'm.onnx');
    writeFileSync(model, 'not read: refused before loading');
    const r = covseg(['predict', join(dir, 'ct.nii.gz'), '--model', model, '--out', join(dir, 'out'), '--backend', 'cpu']);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^covseg: \S+m\.onnx: backend 'cpu' runs covseg model folders; an \.onnx file runs on ONNX Runtime/);
  });

  it("train's --estimate options go with --estimate only, and --estimate trains nothing (exit 2, one line)", () => {
    for (const [args, msg] of [
      [['train', '--estimate', '--model', 'unet-a'], /^covseg: --estimate trains nothing; it takes no --model/],
      [['train', '--estimate', '--cores', '0'], /^covseg: --cores must be an integer ≥ 1/],
      [['train', '--model', 'unet-a', '--shards', 's', '--out', 'o', '--cores', '4'], /^covseg: --cores go\(es\) with --estimate/],
      [['train', '--model', 'unet-a'], /^covseg: missing required argument\(s\): --shards, --out \(or --estimate\)/],
    ] as const) {
      const r = covseg([...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });
});
