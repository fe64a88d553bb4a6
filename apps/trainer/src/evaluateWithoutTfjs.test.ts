import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLabelVolume, type LabelVolume } from '@covseg/io';

const root = new URL('../../../', import.meta.url).pathname;
const main = new URL('./main.ts', import.meta.url).href;

/** Runs `code` (an ES module body) in a fresh Node with tsx; returns its stdout's last line parsed as JSON. */
function inFreshNode(code: string): { status: number | null; result: unknown; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', timeout: 110_000 });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return { status: r.status, result: last ? JSON.parse(last) : undefined, stderr: r.stderr };
}

// tfjs-core keeps its engine and kernel registry on globalThis (_tfengine, _tfGlobals) as soon as it is imported.
const TFJS_LOADED = `Object.keys(globalThis).some((k) => k === '_tfengine' || k === '_tfGlobals')`;

describe('covseg evaluate loads no tfjs', () => {
  it('scores two label maps in a process where tfjs never loads; importing a tfjs lib in the same way does load it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'covseg-eval-notf-'));
    const grid = { shape: [2, 4, 4] as [number, number, number], spacing: [1, 1, 1] as [number, number, number], origin: [0, 0, 0] as [number, number, number], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    const truth: LabelVolume = { ...grid, data: Uint8Array.from({ length: 32 }, (_, i) => (i % 4 === 0 ? 2 : 1)) };
    const pred: LabelVolume = { ...grid, data: Uint8Array.from({ length: 32 }, (_, i) => (i % 8 === 0 ? 2 : 1)) };
    await writeLabelVolume(join(dir, 'truth.nii.gz'), truth);
    await writeLabelVolume(join(dir, 'pred.nii.gz'), pred);
    const args = JSON.stringify(['evaluate', '--pred', join(dir, 'pred.nii.gz'), '--truth', join(dir, 'truth.nii.gz'), '--json', '--quiet']);
    const evaluate = inFreshNode(`const { main } = await import(${JSON.stringify(main)}); await main(${args}); console.log(JSON.stringify({ exit: process.exitCode ?? 0, tfjs: ${TFJS_LOADED} }));`);
    expect(evaluate.stderr).not.toMatch(/covseg:/);
    expect(evaluate.result).toEqual({ exit: 0, tfjs: false });
    // the control: the same probe sees tfjs once a library that uses it is imported
    const control = inFreshNode(`await import('@covseg/unet'); console.log(JSON.stringify({ tfjs: ${TFJS_LOADED} }));`);
    expect(control.result).toEqual({ tfjs: true });
  });
});
