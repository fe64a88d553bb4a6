import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildUnet, saveUnet, unetInfo, type UnetConfig } from '@covseg/unet';
import { unetTestConfig } from '@covseg/onnx';
import { main } from './main.js';

const UNET: UnetConfig = unetTestConfig({ inputSize: 32, depth: 2, baseFilters: 4, upsampling: 'transpose', seed: 1 });
let dir: string;

/** Runs the CLI in-process; returns exit code and stderr. */
async function run(...argv: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((stderr += String(s)), true));
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += a.join(' ') + '\n'));
  try {
    process.exitCode = 0;
    await main(argv);
    return { code: Number(process.exitCode ?? 0), stderr, stdout };
  } finally {
    err.mockRestore();
    log.mockRestore();
    process.exitCode = 0;
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'covseg-export-cli-'));
  await saveUnet(buildUnet(UNET), unetInfo('unet-a', UNET, 'abc', 1), join(dir, 'good'));
  await saveUnet(buildUnet({ ...UNET, seed: 5 }), unetInfo('unet-a', { ...UNET, seed: 5 }, 'abc', 1), join(dir, 'other'));
  const input = tf.input({ shape: [32, 32, 1] });
  const c = tf.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const p = tf.layers.averagePooling2d({ poolSize: 1, name: 'odd_pool' }).apply(c) as tf.SymbolicTensor;
  await saveUnet(tf.model({ inputs: input, outputs: tf.layers.softmax({ axis: -1 }).apply(p) as tf.SymbolicTensor }), unetInfo('odd', UNET, 'abc', 1), join(dir, 'unsupported'));
});

afterEach(() => {
  process.exitCode = 0;
});

const NO_REAL = ['--set', 'export.verify.realSlices=0', '--set', 'export.verify.tfjsBackend=cpu'];

describe('covseg-export', () => {
  it('onnx writes the file (exit 0) and verify passes (exit 0) printing both figures', async () => {
    const out = join(dir, 'export', 'unet-a.onnx');
    const e = await run('onnx', '--model', join(dir, 'good'), '--out', out, '--opset', '13');
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/opset 13/);
    expect(existsSync(out)).toBe(true);
    const v = await run('verify', '--model', join(dir, 'good'), '--onnx', out, '--slices', '2', ...NO_REAL);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/max \|Δprob\|: \d/);
    expect(v.stdout).toMatch(/argmax agreement: 100\.0000 %/);
    expect(JSON.parse(readFileSync(join(dir, 'export', 'verify.json'), 'utf8'))['unet-a.onnx'].passed).toBe(true);
  });

  it('verify exits 3 with a one-line reason when the ONNX file does not match the model', async () => {
    const out = join(dir, 'mismatch', 'other.onnx');
    expect((await run('onnx', '--model', join(dir, 'other'), '--out', out)).code).toBe(0);
    const v = await run('verify', '--model', join(dir, 'good'), '--onnx', out, '--slices', '1', ...NO_REAL);
    expect(v.code).toBe(3);
    expect(v.stderr).toMatch(/^covseg-export: verify failed: max \|Δprob\|/);
    expect(v.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('onnx exits 1 naming an unmapped layer and leaves no file', async () => {
    const outDir = join(dir, 'refused');
    const e = await run('onnx', '--model', join(dir, 'unsupported'), '--out', join(outDir, 'x.onnx'));
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/no mapping for layer 'odd_pool' \(AveragePooling2D\)/);
    expect(existsSync(outDir) ? readdirSync(outDir) : []).toEqual([]);
  });

  it('exits 1 on a missing model folder and 2 on usage errors', async () => {
    const m = await run('onnx', '--model', join(dir, 'nope'), '--out', join(dir, 'n.onnx'));
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/not a covseg model folder/);
    expect(m.stderr.trim().split('\n')).toHaveLength(1);
    expect((await run('onnx', '--model', join(dir, 'good'))).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('onnx', '--model', join(dir, 'good'), '--out', join(dir, 'o.onnx'), '--opset', '9')).stderr).toMatch(/export.opset/);
  });
});
