import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { computeBlock, type BlockTask } from './computeBlock.js';
import { planChannels, planHaloSlices, type FilterPlan } from './filterPlan.js';
import type { Shape3 } from './shape.js';

export interface RunOptions {
  /** Slices per block (plus halo). */
  blockSlices: number;
  /** Worker threads; 0 = in this thread. */
  workers: number;
  /** Called after each finished block (progress). */
  onBlock?: (done: number, total: number) => void;
  /** Told how many worker threads actually run the blocks (0 = in-thread, e.g. when workers cannot start). */
  onStart?: (workers: number, blocks: number) => void;
}

/** A planned block: its slab range, inner slices, and where its rows go in the output. */
interface BlockSpec {
  slab: [number, number];
  inner: [number, number];
  rows: [number, number];
}

/** First position in sorted `a` whose value ≥ v. */
function lowerBound(a: Uint32Array, v: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < v) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/**
 * Runs a filter plan over a volume in z-blocks with halos (bounded memory), optionally on worker threads.
 * Returns rows × channels float32: one row per selected voxel (ascending index), or per voxel when `selection` is absent.
 * Blocks give the same values as one whole-volume pass (the halo covers the Gaussian radius + 2 gradient steps).
 */
export async function runFilterPlan(values: Int16Array | Float32Array, shape: Shape3, plan: FilterPlan, selection: Uint32Array | undefined, opts: RunOptions): Promise<Float32Array> {
  const [nz, ny, nx] = shape;
  const plane = ny * nx;
  const C = planChannels(plan).length;
  const halo = planHaloSlices(plan);
  const step = Math.max(1, opts.blockSlices);
  const specs: BlockSpec[] = [];
  for (let z0 = 0; z0 < nz; z0 += step) {
    const z1 = Math.min(nz, z0 + step);
    const rows: [number, number] = selection ? [lowerBound(selection, z0 * plane), lowerBound(selection, z1 * plane)] : [z0 * plane, z1 * plane];
    if (rows[1] === rows[0]) continue;
    specs.push({ slab: [Math.max(0, z0 - halo), Math.min(nz, z1 + halo)], inner: [z0, z1], rows });
  }
  const total = selection ? selection.length : nz * plane;
  const out = new Float32Array(total * C);
  const taskOf = (s: BlockSpec): BlockTask => {
    const off = s.slab[0] * plane;
    let indices: Uint32Array | undefined;
    if (selection) {
      indices = selection.slice(s.rows[0], s.rows[1]);
      for (let k = 0; k < indices.length; k++) indices[k] -= off;
    }
    return {
      values: values.slice(off, s.slab[1] * plane),
      shape: [s.slab[1] - s.slab[0], ny, nx],
      inner: [s.inner[0] - s.slab[0], s.inner[1] - s.slab[0]],
      indices,
      plan,
    };
  };
  let done = 0;
  const finish = (s: BlockSpec, rows: Float32Array) => {
    out.set(rows, s.rows[0] * C);
    opts.onBlock?.(++done, specs.length);
  };
  const nWorkers = Math.min(opts.workers, specs.length, availableParallelism());
  if (nWorkers >= 2 || (nWorkers === 1 && specs.length > 1)) {
    const pool = await startPool(nWorkers);
    if (pool) {
      try {
        opts.onStart?.(pool.length, specs.length);
        await runOnPool(pool, specs, taskOf, finish);
        return out;
      } finally {
        await Promise.all(pool.map((w) => w.terminate()));
      }
    }
  }
  opts.onStart?.(0, specs.length);
  for (const s of specs) finish(s, computeBlock(taskOf(s)));
  return out;
}

const WORKER_URL = new URL('./blockWorker.mjs', import.meta.url);
/** How long a worker may take to come up before we compute in-thread instead (ms). */
const WORKER_START_TIMEOUT_MS = 20_000;

/** Starts n block workers (TypeScript through tsx); undefined when they cannot start here. */
async function startPool(n: number): Promise<Worker[] | undefined> {
  const workers: Worker[] = [];
  try {
    for (let k = 0; k < n; k++) {
      const w = new Worker(WORKER_URL);
      workers.push(w);
    }
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            // remove only our own listeners: Worker keeps internal ones (port referencing)
            const done = (err?: Error) => {
              clearTimeout(timer);
              w.off('message', onMessage).off('error', onError).off('exit', onExit);
              if (err) reject(err);
              else resolve();
            };
            const onMessage = (m: unknown) => done(m === 'ready' ? undefined : new Error('unexpected worker hello'));
            const onError = (e: Error) => done(e);
            const onExit = () => done(new Error('worker exited'));
            const timer = setTimeout(() => done(new Error('worker start timeout')), WORKER_START_TIMEOUT_MS);
            w.on('message', onMessage).on('error', onError).on('exit', onExit);
          }),
      ),
    );
    return workers;
  } catch {
    await Promise.all(workers.map((w) => w.terminate()));
    return undefined;
  }
}

/** Feeds blocks to idle workers until all are done. */
function runOnPool(pool: Worker[], specs: BlockSpec[], taskOf: (s: BlockSpec) => BlockTask, finish: (s: BlockSpec, rows: Float32Array) => void): Promise<void> {
  let next = 0;
  let pending = specs.length;
  return new Promise((resolve, reject) => {
    const feed = (w: Worker) => {
      if (next >= specs.length) return;
      const s = specs[next++];
      const task = taskOf(s);
      w.once('message', (m: { rows?: Float32Array; error?: string }) => {
        if (m.error || !m.rows) return reject(new Error(`feature worker failed: ${m.error}`));
        finish(s, m.rows);
        if (--pending === 0) resolve();
        else feed(w);
      });
      const transfer = [task.values.buffer as ArrayBuffer, ...(task.indices ? [task.indices.buffer as ArrayBuffer] : [])];
      w.postMessage(task, transfer);
    };
    for (const w of pool) {
      w.on('error', reject);
      feed(w);
    }
  });
}
