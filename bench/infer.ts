// `npm run bench -- infer [--reps N] [--cpu-all] [--no-cpu] [--volume]`
// 512² slice inference of the libs/unet U-Net (depth 4, base 16 and 32): tfjs wasm, tfjs cpu,
// onnxruntime-node (2 threads) and PyTorch CPU (Debian python3-torch, 2 threads), in the same run.
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { buildUnet, CLASS_NAMES, normalizeWindow } from '@covseg/unet';
import { segmentVolume, createOnnxSegmenter } from '@covseg/inference';
import type { Volume } from '@covseg/io';
import { DEFAULT_EXPORT_CONFIG, syntheticCtSlice, unetTestConfig, writeOnnxFile } from '@covseg/onnx';
import { useTfjsBackend } from '@covseg/tfjs-backend';
import { ensureDebianPeer, runPeer, writeBenchResult, peakRssMb } from './_peer.js';

const SIZE = 512;
const DEPTH = 4;
const BASES = [16, 32];
const THREADS = 2;
const VOLUME_SLICES = 300;
const VOLUME_BATCH = 8;
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const reps = Number(args[args.indexOf('--reps') + 1]) || 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median seconds of `fn` over `n` runs (after one warm-up unless `warmUp` is false). */
async function timeIt(n: number, fn: () => Promise<unknown> | unknown, warmUp = true): Promise<number> {
  if (warmUp) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push((performance.now() - t) / 1000);
  }
  return median(times);
}

const window = { low: -1024, high: 300 };

/** A z × 512 × 512 int16 HU volume of phantom-like slices (8 distinct slices repeated). */
function syntheticVolume(z: number): Volume {
  const distinct = Array.from({ length: 8 }, (_, i) => Int16Array.from(syntheticCtSlice(SIZE, 100 + i), Math.round));
  const data = new Int16Array(z * SIZE * SIZE);
  for (let k = 0; k < z; k++) data.set(distinct[k % distinct.length], k * SIZE * SIZE);
  return { data, shape: [z, SIZE, SIZE], spacing: [1, 0.7, 0.7], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
}
const slice = normalizeWindow(syntheticCtSlice(SIZE, 1), window);
const card = { modelName: 'bench', classNames: [...CLASS_NAMES], labelValues: CLASS_NAMES.map((_, i) => i), window, inputSize: [SIZE, SIZE] as [number, number], trainingConfigHash: '' };
const torchOk = ensureDebianPeer(['torch'], ['python3-torch']);
const tmp = mkdtempSync(join(tmpdir(), 'covseg-bench-infer-'));
const results: Record<string, any>[] = [];

for (const base of BASES) {
  await useTfjsBackend('cpu');
  const cfg = unetTestConfig({ inputSize: SIZE, depth: DEPTH, baseFilters: base, upsampling: 'transpose', batchNorm: true });
  const model = buildUnet(cfg);
  const row: Record<string, any> = { base, depth: DEPTH, size: SIZE, params: model.countParams(), seconds_per_slice: {} as Record<string, number | null> };
  const s = row.seconds_per_slice;

  const file = join(tmp, `unet-b${base}.onnx`);
  writeOnnxFile(file, model, card, DEFAULT_EXPORT_CONFIG);
  const seg = await createOnnxSegmenter(file, { intraOpThreads: THREADS, interOpThreads: 1 });
  s.onnxruntime = await timeIt(reps * 2, () => seg.predict(slice, 1, SIZE, SIZE));
  if (base === BASES[0]) {
    // 300-slice volume through libs/unet's segmentVolume (window, resize, engine, arg-max, post-processing): measured with --volume, else extrapolated from batch 1
    if (flag('volume')) {
      const r = await segmentVolume(syntheticVolume(VOLUME_SLICES), seg, { batchSize: VOLUME_BATCH, postprocess: { maskOutsideLung: true, fillLungBackground: true, largestComponent: [] }, connectivity: 26, quiet: true });
      row.volume300_seconds = { onnxruntime: r.timings.inference_s + r.timings.processing_s, inference: r.timings.inference_s, measured: true };
    } else row.volume300_seconds = { onnxruntime: s.onnxruntime * VOLUME_SLICES, measured: false };
  }
  await seg.release();

  const x = tf.tensor4d(slice, [1, SIZE, SIZE, 1]);
  const tfjsRun = () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
  await useTfjsBackend('wasm');
  s['tfjs-wasm'] = await timeIt(Math.max(1, reps - 1), tfjsRun);
  // the stock cpu backend needs ~1 min per slice at base 16: one timed run, base 16 only unless --cpu-all
  if (!flag('no-cpu') && (base === BASES[0] || flag('cpu-all'))) {
    await useTfjsBackend('cpu');
    s['tfjs-cpu'] = await timeIt(1, tfjsRun, false); // nothing to warm up: plain JS kernels
  } else s['tfjs-cpu'] = null;
  x.dispose();
  model.dispose();

  if (torchOk) {
    const peer = runPeer(new URL('./infer_torch.py', import.meta.url).pathname, [base, DEPTH, SIZE, reps * 2, THREADS].map(String), { OMP_NUM_THREADS: String(THREADS) });
    s.pytorch = peer.seconds_per_slice;
    row.pytorch_params = peer.params;
    row.torch_version = peer.torch;
  } else s.pytorch = null;
  results.push(row);

  console.log(`\nU-Net depth ${DEPTH}, base ${base}, ${SIZE}² (tfjs params ${row.params}${row.pytorch_params ? `, torch ${row.pytorch_params}` : ''})`);
  console.log('engine            s/slice   slices/s   × PyTorch (time ratio, <1 = faster)');
  for (const [engine, sec] of Object.entries(s)) {
    if (sec === null) { console.log(`${engine.padEnd(16)}  skipped`); continue; }
    const ratio = s.pytorch ? (sec as number) / s.pytorch : null;
    console.log(`${engine.padEnd(16)} ${(sec as number).toFixed(3).padStart(8)} ${(1 / (sec as number)).toFixed(2).padStart(10)}   ${ratio === null ? 'n/a' : ratio.toFixed(2)}`);
  }
  if (row.volume300_seconds) console.log(`300-slice volume, ONNX Runtime: ${row.volume300_seconds.onnxruntime.toFixed(1)} s (${row.volume300_seconds.measured ? `measured through segmentVolume, batch ${VOLUME_BATCH}, ${row.volume300_seconds.inference.toFixed(1)} s in the engine` : 'extrapolated from batch 1; --volume measures it'})`);
  if (s.pytorch) console.log(`goal ONNX Runtime ≤ PyTorch per slice: ${s.onnxruntime <= s.pytorch ? 'met' : 'NOT met'} (${(s.pytorch / s.onnxruntime).toFixed(2)}× PyTorch speed)`);
}
rmSync(tmp, { recursive: true, force: true });
writeBenchResult('infer', { machine: { cores: (await import('node:os')).cpus().length, node: process.version }, threads: THREADS, reps, results, peak_rss_mb: peakRssMb() });
console.log('\nwrote bench/out/infer.json');
