import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { addKernel, replaceKernel, restoreStockKernels } from './kernelRegistry.js';
import { webgpuConv2DBackpropFilterConfig } from './webgpuConv2DBackpropFilter.js';
import { registerWebgpuGradients } from './webgpuGradients.js';
import { composedConv2DBackpropFilterConfig } from './wasmConv2DBackpropFilter.js';
import { findWebgpuAdapter, type AdapterFacts } from './webgpuAdapter.js';

/** Backends in the order `auto` tries them: fastest first. */
export const BACKEND_ORDER = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'native-cpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];
export type BackendChoice = BackendName | 'auto';

export interface SelectedBackend {
  /** The backend that was set up (may differ from the one asked for, after a fallback). */
  name: BackendName;
  tf: typeof tf;
  /** Why each backend tried before it did not load. */
  skipped: { name: BackendName; reason: string }[];
}

export interface SelectOptions {
  log?: (message: string) => void;
  /** Worker threads of the native-cpu kernels; 0 or absent = the cores Node sees (os.availableParallelism). */
  threads?: number;
}

// Non-literal specifiers keep tsc from resolving optional packages that may be absent.
const dynamicImport = (spec: string): Promise<unknown> => import(spec);
const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0];

async function setTf(backendName: string): Promise<void> {
  if (!(await tf.setBackend(backendName))) throw new Error(`tf.setBackend('${backendName}') failed`);
  await tf.ready();
}

/** Loads tfjs-node(-gpu), which registers the 'tensorflow' backend on this tfjs. */
async function loadTensorflow(pkg: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu'): Promise<void> {
  try {
    await dynamicImport(pkg);
  } catch (e) {
    throw new Error(`${pkg} is not installed or its libtensorflow did not load (${firstLine(e)}); it installs only with internet access`);
  }
  if (!tf.findBackend('tensorflow')) throw new Error(`${pkg} loaded but registered no 'tensorflow' backend (duplicate @tensorflow/tfjs-core?)`);
  await setTf('tensorflow');
}

/**
 * Sets up @tensorflow/tfjs-backend-webgpu on the runtime's or Dawn's adapter. A software adapter
 * (lavapipe) is refused unless asked for by name: it is correct but slower than native-cpu.
 */
async function loadWebgpu(allowSoftware: boolean): Promise<string> {
  let found = webgpuAdapter;
  if (!found) {
    const { facts, install } = await findWebgpuAdapter();
    found = facts;
    if (!facts.software || allowSoftware) {
      install();
      await import('@tensorflow/tfjs-backend-webgpu');
      webgpuAdapter = facts;
    }
  }
  if (found.software && !allowSoftware) throw new Error(`WebGPU adapter is a software rasteriser (${found.summary}); --backend webgpu uses it anyway`);
  // (again on every selection: selecting native-cpu or cpu puts all stock kernels back)
  replaceKernel('Conv2DBackpropFilter', 'webgpu', () => webgpuConv2DBackpropFilterConfig.kernelFunc);
  registerWebgpuGradients();
  await setTf('webgpu');
  return `adapter: ${found.summary}`;
}
/** The adapter the webgpu backend was registered on (the backend registers once per process). */
let webgpuAdapter: AdapterFacts | undefined;

async function loadNativeCpuBackend(threads: number): Promise<string> {
  const { loadNativeCpu } = (await dynamicImport('@covseg/native-cpu').catch((e) => {
    throw new Error(`@covseg/native-cpu is not installed (${firstLine(e)})`);
  })) as typeof import('@covseg/native-cpu');
  const load = loadNativeCpu();
  if (!load.ok) throw new Error(load.reason);
  restoreStockKernels();
  await setTf('cpu');
  const { installNativeCpuKernels } = await import('./installNativeCpu.js');
  installNativeCpuKernels(load.addon);
  load.addon.setThreads(threads > 0 ? threads : availableParallelism());
  const info = load.addon.info();
  return `${info.avx2 ? 'AVX2/FMA' : 'scalar'} GEMM, ${info.threads} threads`;
}

async function loadWasm(): Promise<string> {
  await import('@tensorflow/tfjs-backend-wasm');
  await setTf('wasm');
  addKernel(composedConv2DBackpropFilterConfig('wasm'));
  return 'one thread (tfjs disables wasm threads in Node)';
}

async function load(name: BackendName, auto: boolean, threads: number): Promise<string | void> {
  switch (name) {
    case 'tensorflow-gpu': return loadTensorflow('@tensorflow/tfjs-node-gpu');
    case 'tensorflow': return loadTensorflow('@tensorflow/tfjs-node');
    case 'webgpu': return loadWebgpu(!auto);
    case 'native-cpu': return loadNativeCpuBackend(threads);
    case 'wasm': return loadWasm();
    case 'cpu':
      restoreStockKernels();
      await setTf('cpu');
      return 'stock tfjs cpu kernels (training is very slow)';
  }
}

/**
 * Sets up a tfjs backend and returns it. `auto` takes the fastest that loads; an explicit name
 * that cannot load falls back to the next ones in BACKEND_ORDER, saying why.
 */
export async function selectBackend(choice: BackendChoice = 'auto', opts: SelectOptions = {}): Promise<SelectedBackend> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  // PROD silences tfjs's "install tfjs-node" banner on the cpu backend: this function logs what it chose and why
  tf.env().set('PROD', true);
  const start = choice === 'auto' ? 0 : BACKEND_ORDER.indexOf(choice);
  if (start < 0) throw new Error(`unknown backend '${choice}' (expected auto or one of ${BACKEND_ORDER.join(', ')})`);
  const skipped: SelectedBackend['skipped'] = [];
  for (const name of BACKEND_ORDER.slice(start)) {
    try {
      const detail = await load(name, choice === 'auto', opts.threads ?? 0);
      if (choice !== 'auto' && name !== choice) log(`backend: '${choice}' unavailable (${skipped[0].reason}); falling back to '${name}'`);
      log(`backend: ${name}${detail ? ` (${detail})` : ''}`);
      return { name, tf, skipped };
    } catch (e) {
      skipped.push({ name, reason: firstLine(e) });
    }
  }
  throw new Error(`no tfjs backend could be loaded: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}
