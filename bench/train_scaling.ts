// `npm run bench -- train_scaling [--sizes 128,256,512] [--bases 16,32] [--threads 1,N] [--backends native-cpu]
//   [--steps N] [--no-peer] [--profile-size S] [--price]`
// The native-cpu training bench (bench/train.ts compares all backends). U-Net depth 4, batch norm, 5 classes, libs/unet's Adam and CE + soft-Dice loss, batch 8: ms/step,
// slices/s and peak RSS per case (each case in its own process, so RSS is per case), the PyTorch peer
// measured in the same run for the same case and thread count, the ratio, the top kernels of one
// profiled step, one 512² inference per base, thread scaling, and (--price) the wall time of
// configs/paper.json's Unet-A and Unet-B on this machine from the measured 512² steps.
import { timeSteps } from './_timeSteps.js';
import { DEBIAN_PYTHON, ensureDebianPeer } from './_peer.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchUnet } from './_unet.js';
import { amdahlTime, plannedSeconds, serialFraction, trainingPlan } from '../libs/pipeline/src/trainingPlan.js';
import { loadConfig } from '../libs/pipeline/src/loadConfig.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const BATCH = 8, DEPTH = 4, CLASSES = 5;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

// ---------------------------------------------------------------- child: one backend, one case
async function child(): Promise<void> {
  const backendName = arg('child', 'cpu');
  const mode = arg('mode', 'train');
  const size = Number(arg('size', '128'));
  const steps = Number(arg('steps', '2'));
  const base = Number(arg('base', '16'));
  const threads = Number(arg('threads', '0'));
  const { selectBackend } = await import('../libs/tfjs-backend/src/selectBackend.js');
  const sel = await selectBackend(backendName as 'cpu', { log: () => {}, threads });
  const result: Record<string, unknown> = { backend: backendName, mode, size, base, threads };
  if (sel.name !== backendName) {
    result.unavailable = sel.skipped.find((s) => s.name === backendName)?.reason ?? `fell back to ${sel.name}`;
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    return;
  }
  const tf = sel.tf;
  const { model, builder } = await benchUnet(tf, size, DEPTH, base, CLASSES);
  result.builder = builder;
  result.params = model.countParams();
  if (mode === 'infer') {
    const x = tf.randomUniform([1, size, size, 1], 0, 1, 'float32', 1);
    // (not tf.tidy(() => …dataSync()): tidy would walk the returned typed array element by element)
    const run = () => {
      const p = model.predict(x) as import('@tensorflow/tfjs').Tensor;
      p.dataSync();
      p.dispose();
    };
    run();
    const t = performance.now();
    run();
    result.inferMs = performance.now() - t;
  } else {
    const step = await trainStepOf(tf, model, size);
    await step();
    Object.assign(result, await timeSteps(tf, step, steps, BATCH));
  }
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

type Tf = typeof import('@tensorflow/tfjs');

/**
 * One training step as the trainer runs it (libs/unet's trainStep: its Adam and the weighted CE +
 * soft-Dice loss) on a fixed random batch; the bench's own Adam + CE step when libs/unet does not load.
 */
async function trainStepOf(tf: Tf, model: import('@tensorflow/tfjs').LayersModel, size: number): Promise<() => Promise<unknown> | void> {
  const n = BATCH * size * size;
  const x = new Float32Array(n), y = new Uint8Array(n);
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) { x[i] = rnd(); y[i] = Math.floor(rnd() * CLASSES); }
  try {
    const { Adam } = await import('../libs/unet/src/adam.js');
    const { trainStep } = await import('../libs/unet/src/trainUnet.js');
    const vars = model.trainableWeights.map((w) => w.read() as import('@tensorflow/tfjs').Variable);
    const adam = new Adam(1e-3, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, vars);
    const loss = { crossEntropyWeight: 1, diceWeight: 1, classWeights: [1, 1, 1, 1, 1], diceSmooth: 1, correctedWeight: 1 };
    const batch = { x, y, size, count: BATCH, keys: [], corrected: new Array<boolean>(BATCH).fill(false) };
    return () => trainStep(model, adam, vars, batch, loss);
  } catch {
    const opt = tf.train.adam(1e-3);
    const xt = tf.tensor4d(x, [BATCH, size, size, 1]);
    const yt = tf.oneHot(tf.tensor1d(Int32Array.from(y), 'int32'), CLASSES).reshape([BATCH, size, size, CLASSES]).toFloat();
    return () => {
      const loss = opt.minimize((): import('@tensorflow/tfjs').Scalar => {
        const p = model.apply(xt, { training: true }) as import('@tensorflow/tfjs').Tensor;
        return tf.neg(tf.mean(tf.sum(tf.mul(yt, tf.log(tf.add(p, 1e-7))), -1))) as import('@tensorflow/tfjs').Scalar;
      }, true)!;
      loss.dataSync();
      loss.dispose();
    };
  }
}


// ---------------------------------------------------------------- parent: all cases + peer
interface Case { size: number; base: number; threads: number }

function runChild(backend: string, mode: string, c: Case, steps: number, profile: boolean): Record<string, any> {
  // tsx for the .ts source; none when this runs as a bundled .mjs (a machine without the repo's node_modules)
  const loader = import.meta.url.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const args = [...loader, fileURLToPath(import.meta.url), '--child', backend, '--mode', mode, '--size', String(c.size), '--base', String(c.base), '--threads', String(c.threads), '--steps', String(steps)];
  if (profile) args.push('--profile');
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) return { backend, mode, ...c, error: (r.stderr.split('\n').find((l) => /^\s*(\w*Error\b|Aborted\()/.test(l)) ?? `exit ${r.status}`).trim().slice(0, 200) };
  return JSON.parse(line.slice(7));
}

const PYTHON = process.env.COVSEG_BENCH_PYTHON ?? '/usr/bin/python3';

function ensureTorch(): boolean {
  if (PYTHON === DEBIAN_PYTHON) return ensureDebianPeer(['torch'], ['python3-torch']);
  return spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
}

function runPeer(c: Case, steps: number, infer = false): Record<string, any> | undefined {
  const r = spawnSync(PYTHON, [join(here, 'train_scaling_peer.py'), String(c.size), String(c.base), String(c.threads), String(steps), ...(infer ? ['infer'] : [])], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop();
  try { return JSON.parse(line ?? ''); } catch { console.log(`peer failed: ${r.stderr.trim().split('\n').pop()}`); return undefined; }
}

/** Amdahl fit of measured step times (the one used by `covseg train --estimate`). */
function amdahl(points: { threads: number; ms: number }[]): { serial: number; at: (t: number) => number } | undefined {
  const serial = serialFraction(points);
  const one = points.find((p) => p.threads === 1);
  return serial === null || !one ? undefined : { serial, at: (t) => amdahlTime(one.ms, serial, t) };
}

const fmtH = (ms: number) => (ms >= 3.6e6 ? `${(ms / 3.6e6).toFixed(1)} h` : `${(ms / 6e4).toFixed(0)} min`);

async function parent(): Promise<void> {
  const cores = availableParallelism();
  const sizes = arg('sizes', '128,256').split(',').map(Number);
  const bases = arg('bases', '16').split(',').map(Number);
  const threadList = arg('threads', cores > 1 ? `1,${cores}` : '1').split(',').map(Number);
  const backends = arg('backends', 'native-cpu').split(',');
  const steps = Number(arg('steps', '3'));
  const profileSize = Number(arg('profile-size', String(sizes[0])));
  const withPeer = !process.argv.includes('--no-peer') && existsSync(PYTHON) && ensureTorch();
  const results: Record<string, any>[] = [], peers: Record<string, any>[] = [];
  const maxThreads = Math.max(...threadList);
  console.log(`machine: ${cores} cores seen by Node, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min) at start`);
  if (!backends.includes('cpu')) console.log('cpu (stock tfjs): skipped — its Conv2DBackpropFilter is pathological (see bench/train.ts); wasm: pass --backends native-cpu,wasm (~40× slower, one thread)');
  const rows: string[] = ['| size | base | threads | backend | ms/step | slices/s | peak RSS MB | PyTorch ms/step | PyTorch RSS MB | ratio |', '|---|---|---|---|---|---|---|---|---|---|'];
  for (const base of bases)
    for (const size of sizes)
      for (const threads of threadList) {
        const c = { size, base, threads };
        const peer = withPeer ? runPeer(c, steps) : undefined;
        if (peer) { peers.push(peer); console.log(`PyTorch ${peer.torch} ${size}² base ${base}, ${threads} threads: ${peer.ms.toFixed(0)} ms/step (CPU ${peer.cpu_ms.toFixed(0)} ms), peak RSS ${peer.peak_rss_mb.toFixed(0)} MB`); }
        for (const backend of backends) {
          const slow = backend === 'wasm' || backend === 'cpu';
          if (slow && threads !== threadList[0]) continue;
          const r = runChild(backend, 'train', c, slow ? 1 : steps, size === profileSize && threads === maxThreads);
          results.push(r);
          if (r.unavailable || r.error) { console.log(`${backend} ${size}² base ${base}: ${r.unavailable ? `unavailable (${r.unavailable})` : `error: ${r.error}`}`); continue; }
          r.ratioToTorch = peer ? r.msPerStep / peer.ms : undefined;
          console.log(`${backend} ${size}² base ${base}, ${threads} threads: ${r.msPerStep.toFixed(0)} ms/step (CPU ${r.cpuMsPerStep.toFixed(0)} ms), ${r.slicesPerS.toFixed(2)} slices/s, peak RSS ${r.peakRssMb.toFixed(0)} MB${peer ? `, ${r.ratioToTorch.toFixed(2)}× PyTorch (CPU ${(r.cpuMsPerStep / peer.cpu_ms).toFixed(2)}×)` : ''} [${r.builder}]`);
          rows.push(`| ${size}² | ${base} | ${threads} | ${backend} | ${r.msPerStep.toFixed(0)} | ${r.slicesPerS.toFixed(2)} | ${r.peakRssMb.toFixed(0)} | ${peer ? peer.ms.toFixed(0) : '-'} | ${peer ? peer.peak_rss_mb.toFixed(0) : '-'} | ${peer ? r.ratioToTorch.toFixed(2) : '-'} |`);
          if (r.kernels) {
            const top = r.kernels.filter((k: any) => !k.name.endsWith('__op')).slice(0, 6).map((k: any) => `${k.name} ${((100 * k.ms) / r.kernelTotalMs).toFixed(0)} %`).join(', ');
            console.log(`  top kernels (one profiled step): ${top}`);
          }
        }
      }
  for (const base of bases) {
    const c = { size: 512, base, threads: maxThreads };
    const peer = withPeer ? runPeer(c, 1, true) : undefined;
    const inf = runChild(backends[0], 'infer', c, 1, false);
    results.push(inf);
    if (inf.inferMs) console.log(`${backends[0]} 512² inference base ${base}: ${inf.inferMs.toFixed(0)} ms${peer ? ` (${(inf.inferMs / peer.infer512_ms).toFixed(2)}× PyTorch's ${peer.infer512_ms.toFixed(0)} ms)` : ''}, peak RSS ${inf.peakRssMb.toFixed(0)} MB`);
  }
  console.log(`\n${rows.join('\n')}\n`);
  // thread scaling → a many-core extrapolation (Amdahl fit over the measured thread counts)
  const scaling: Record<string, unknown>[] = [];
  for (const base of bases)
    for (const size of sizes) {
      const pts = results.filter((r) => r.mode === 'train' && r.backend === 'native-cpu' && r.base === base && r.size === size && r.msPerStep).map((r) => ({ threads: r.threads || cores, ms: r.msPerStep }));
      const fit = amdahl(pts);
      if (!fit) continue;
      const tp = peers.filter((p) => p.base === base && p.size === size && p.ms).map((p) => ({ threads: p.threads, ms: p.ms }));
      const tfit = amdahl(tp);
      scaling.push({ size, base, serial: fit.serial, at32: fit.at(32), torchSerial: tfit?.serial, torchAt32: tfit?.at(32) });
      console.log(`scaling ${size}² base ${base}: serial fraction ${(100 * fit.serial).toFixed(0)} % → 32 cores ≈ ${fit.at(32).toFixed(0)} ms/step${tfit ? ` (PyTorch: ${(100 * tfit.serial).toFixed(0)} %, ≈ ${tfit.at(32).toFixed(0)} ms/step)` : ''}`);
    }
  if (process.argv.includes('--price')) price(results, scaling, maxThreads);
  mkdirSync(join(here, 'out'), { recursive: true });
  writeFileSync(join(here, 'out', 'train_scaling.json'), JSON.stringify({ date: new Date().toISOString(), cores, loadavg: loadavg(), batch: BATCH, depth: DEPTH, peers, results, scaling }, null, 2));
  console.log(`machine load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
  console.log(`wrote ${join('bench', 'out', 'train_scaling.json')}`);
}

/** Wall time of configs/paper.json's Unet-A, relabelling and Unet-B (trainingPlan: the plan `covseg train --estimate` prices) from the measured 512² step, here and at 32 cores. */
function price(results: Record<string, any>[], scaling: Record<string, any>[], threads: number): void {
  const cfg = loadConfig({ file: join(root, 'configs', 'paper.json') }).config;
  const { inputSize, baseFilters } = cfg.unet;
  const r = results.find((x) => x.mode === 'train' && x.backend === 'native-cpu' && x.size === inputSize && x.base === baseFilters && x.threads === threads && x.msPerStep);
  const inf = results.find((x) => x.mode === 'infer' && x.base === baseFilters && x.inferMs);
  if (!r) { console.log(`price: no ${inputSize}² base-${baseFilters} step measured (add --sizes ${inputSize} --bases ${baseFilters})`); return; }
  const sc = scaling.find((s) => s.size === inputSize && s.base === baseFilters);
  // the bench's batch is BATCH; the config's may differ (a step's cost grows with its batch)
  const stepMs = r.msPerStep * (cfg.train.batchSize / BATCH);
  for (const w of trainingPlan(cfg, null)) {
    const ms = 1000 * plannedSeconds(w, stepMs, inf?.inferMs ?? 0);
    const at32 = sc ? ms * (sc.at32 / r.msPerStep) : undefined;
    console.log(`price ${w.stage}: ${w.basis} at ${inputSize}², base ${baseFilters}${w.trainSteps ? " (early stopping may end it sooner)" : ""}: ${fmtH(ms)} on this machine (${threads} threads)${at32 ? `; ≈ ${fmtH(at32)} on 32 cores (Amdahl fit)` : ''}`);
  }
}

await (process.argv.includes('--child') ? child() : parent());
