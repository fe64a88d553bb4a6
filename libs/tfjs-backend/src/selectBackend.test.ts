import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNativeCpu } from '@covseg/native-cpu';
import { selectBackend } from './selectBackend.js';
import { replacedKernels } from './kernelRegistry.js';
import { tinyBatch, tinyLoss, tinyUnet } from './tinyNet.js';

const nativeBuilt = (() => {
  const saved = process.env.COVSEG_DISABLE_NATIVE;
  delete process.env.COVSEG_DISABLE_NATIVE;
  const ok = loadNativeCpu().ok;
  if (saved !== undefined) process.env.COVSEG_DISABLE_NATIVE = saved;
  return ok;
})();
const envBefore = process.env.COVSEG_DISABLE_NATIVE;

/** One Adam step on the tiny net; returns the loss before and after. */
function trainStep(): [number, number] {
  const model = tinyUnet();
  const { x, y } = tinyBatch();
  const opt = tf.train.adam(0.01);
  const before = tinyLoss(model, x, y).dataSync()[0];
  opt.minimize(() => tinyLoss(model, x, y));
  return [before, tinyLoss(model, x, y).dataSync()[0]];
}

describe('selectBackend', () => {
  afterEach(() => {
    if (envBefore === undefined) delete process.env.COVSEG_DISABLE_NATIVE;
    else process.env.COVSEG_DISABLE_NATIVE = envBefore;
  });

  it('falls back from tensorflow (tfjs-node absent offline) and says why', async () => {
    const logs: string[] = [];
    const sel = await selectBackend('tensorflow', { log: (m) => logs.push(m) });
    expect(sel.skipped[0]).toMatchObject({ name: 'tensorflow' });
    expect(sel.skipped[0].reason).toMatch(/tfjs-node/);
    expect(logs.join('\n')).toMatch(/'tensorflow' unavailable .*falling back to/);
    expect(tf.getBackend()).toBe(sel.name === 'native-cpu' ? 'cpu' : sel.name);
  });

  it('falls back from tensorflow-gpu with a one-line reason naming the package', async () => {
    const logs: string[] = [];
    const sel = await selectBackend('tensorflow-gpu', { log: (m) => logs.push(m) });
    expect(sel.skipped[0]).toMatchObject({ name: 'tensorflow-gpu' });
    expect(sel.skipped[0].reason).toMatch(/@tensorflow\/tfjs-node-gpu/);
    expect(logs[0].split('\n')).toHaveLength(1);
    expect(logs[0]).toMatch(/^backend: 'tensorflow-gpu' unavailable .*falling back to '/);
  });

  it.skipIf(!nativeBuilt)('auto picks native-cpu when the addon loads, and the kernels are replaced', async () => {
    delete process.env.COVSEG_DISABLE_NATIVE;
    const sel = await selectBackend('auto', { log: () => {} });
    expect(sel.name).toBe('native-cpu');
    expect(replacedKernels('cpu')).toEqual(expect.arrayContaining(['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'Multiply']));
    const [before, after] = trainStep();
    expect(after).toBeLessThan(before);
  });

  it.skipIf(!nativeBuilt)('native-cpu takes its thread count from the option, else the cores Node sees', async () => {
    delete process.env.COVSEG_DISABLE_NATIVE;
    const addon = loadNativeCpu();
    if (!addon.ok) return;
    await selectBackend('native-cpu', { log: () => {}, threads: 3 });
    expect(addon.addon.info().threads).toBe(3);
    const logs: string[] = [];
    await selectBackend('native-cpu', { log: (m) => logs.push(m) });
    expect(addon.addon.info().threads).toBe(availableParallelism());
    expect(logs.join('\n')).toContain(`${availableParallelism()} threads`);
  });

  it('COVSEG_DISABLE_NATIVE=1 falls back to wasm, which still trains a step', async () => {
    process.env.COVSEG_DISABLE_NATIVE = '1';
    const logs: string[] = [];
    const sel = await selectBackend('native-cpu', { log: (m) => logs.push(m) });
    expect(sel.name).toBe('wasm');
    expect(sel.skipped[0].reason).toMatch(/COVSEG_DISABLE_NATIVE/);
    expect(tf.getBackend()).toBe('wasm');
    const [before, after] = trainStep();
    expect(Number.isFinite(after)).toBe(true);
    expect(after).toBeLessThan(before);
  });

  it('cpu gives back the stock kernels', async () => {
    await selectBackend('cpu', { log: () => {} });
    expect(replacedKernels('cpu')).toEqual([]);
  });

  it('rejects an unknown name', async () => {
    await expect(selectBackend('cuda' as never)).rejects.toThrow(/unknown backend 'cuda'/);
  });
});
