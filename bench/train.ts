// `npm run bench -- train [--sizes 128,256] [--backends native-cpu,wasm] [--steps N] [--no-peer] [--profile-size S]`
// U-Net depth 4, base 16, batch norm, 5 classes, Adam, batch 8: ms/step, slices/s and peak RSS per
// tfjs backend (each case in its own process, so RSS is per case), one 512² inference, the PyTorch
// peer measured in the same run, the ratio, and the top 5 kernels of one profiled step.
import { timeSteps } from './_timeSteps.js';
import { DEBIAN_PYTHON, ensureDebianPeer } from './_peer.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchUnet } from './_unet.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
// `--depth 3 --base 16` at 128² is the demo's U-Net (configs/demo.json)
const BATCH = 8, DEPTH = Number(arg('depth', '4')), BASE = Number(arg('base', '16')), CLASSES = 5;

// ---------------------------------------------------------------- child: one backend, one case
async function child(): Promise<void> {
  const backendName = arg('child', 'cpu');
  const mode = arg('mode', 'train');
  const size = Number(arg('size', '128'));
  const steps = Number(arg('steps', '2'));
  const { selectBackend } = await import('../libs/tfjs-backend/src/selectBackend.js');
  const logs: string[] = [];
  const sel = await selectBackend(backendName as 'cpu', { log: (m) => logs.push(m) });
  const result: Record<string, unknown> = { backend: backendName, mode, size, selected: logs.join('; ') };
  if (sel.name !== backendName) {
    result.unavailable = sel.skipped.find((s) => s.name === backendName)?.reason ?? `fell back to ${sel.name}`;
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    return;
  }
  const tf = sel.tf;
  const { model, builder } = await benchUnet(tf, size, DEPTH, BASE, CLASSES);
  result.builder = builder;
  result.params = model.countParams();
  if (mode === 'infer') {
    const x = tf.randomUniform([1, size, size, 1], 0, 1, 'float32', 1);
    // async read-back: webgpu has no synchronous read in Node (and it waits for the GPU to finish)
    const run = async () => {
      const p = model.predict(x) as import('@tensorflow/tfjs').Tensor;
      await p.data();
      p.dispose();
    };
    await run();
    const t = performance.now();
    await run();
    result.inferMs = performance.now() - t;
  } else {
    const opt = tf.train.adam(1e-3);
    const x = tf.randomUniform([BATCH, size, size, 1], 0, 1, 'float32', 1);
    // one-hot built as float32 data: tfjs's oneHot is int32, and webgpu's int32→float32 cast keeps the int32 buffer
    const labels = await tf.randomUniform([BATCH, size, size], 0, CLASSES, 'int32', 2).data();
    const oneHot = new Float32Array(labels.length * CLASSES);
    labels.forEach((l, i) => (oneHot[i * CLASSES + l] = 1));
    const y = tf.tensor4d(oneHot, [BATCH, size, size, CLASSES]);
    const step = async () => {
      const loss = opt.minimize((): import('@tensorflow/tfjs').Scalar => {
        const p = model.apply(x, { training: true }) as import('@tensorflow/tfjs').Tensor;
        return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.add(p, 1e-7))), -1))) as import('@tensorflow/tfjs').Scalar;
      }, true)!;
      await loss.data();
      loss.dispose();
    };
    // the first step compiles the GPU backends' shaders: a second warm-up keeps that out of the timing
    await step();
    if (sel.name === 'webgpu') await step();
    Object.assign(result, await timeSteps(tf, step, steps, BATCH));
  }
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}



// ---------------------------------------------------------------- parent: all cases + peer
function runChild(backend: string, mode: string, size: number, steps: number, profile: boolean): Record<string, any> {
  // this process's own flags (`--import tsx` from `npm run bench`; none when run as a bundle)
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--child', backend, '--mode', mode, '--size', String(size), '--steps', String(steps), '--depth', String(DEPTH), '--base', String(BASE)];
  if (profile) args.push('--profile');
  // --child-timeout S: a hung case (e.g. a GPU driver) is reported and the other cases still run
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26, timeout: Number(arg('child-timeout', '0')) * 1000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { backend, mode, size, error: `no result within --child-timeout ${arg('child-timeout', '0')} s` };
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) return { backend, mode, size, error: (r.stderr.split('\n').find((l) => /^\s*(\w*Error\b|Aborted\()/.test(l)) ?? `exit ${r.status}`).trim().slice(0, 200) };
  return JSON.parse(line.slice(7));
}

/** Python for the PyTorch peer: Debian's, or `--peer-python` (e.g. a GPU machine's CUDA build of PyTorch). */
const peerPython = arg('peer-python', '/usr/bin/python3');

function ensureTorch(): boolean {
  if (peerPython === DEBIAN_PYTHON) return ensureDebianPeer(['torch'], ['python3-torch']);
  return spawnSync(peerPython, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
}

function runPeer(sizes: number[], steps: number): Record<string, any> | undefined {
  if (!existsSync(peerPython) || !ensureTorch()) return undefined;
  const r = spawnSync(peerPython, [join(here, 'train_peer.py'), sizes.join(','), String(steps), arg('peer-device', 'cpu'), String(DEPTH), String(BASE)], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop();
  try { return JSON.parse(line ?? ''); } catch { console.log(`peer failed: ${r.stderr.trim().split('\n').pop()}`); return undefined; }
}

async function parent(): Promise<void> {
  const sizes = arg('sizes', '128,256').split(',').map(Number);
  const backends = arg('backends', 'tensorflow,native-cpu,wasm').split(',');
  const steps = Number(arg('steps', '3'));
  const profileSize = Number(arg('profile-size', String(sizes[0])));
  const results: Record<string, any>[] = [];
  const peer = process.argv.includes('--no-peer') ? undefined : runPeer(sizes, steps);
  if (peer) console.log(`PyTorch ${peer.torch} (${peer.device === 'cpu' ? `${peer.threads} threads` : peer.device}): ${sizes.map((s) => `${s}²: ${peer.steps[s].toFixed(0)} ms/step (CPU ${peer.cpu_steps[s].toFixed(0)} ms)`).join(', ')}; 512² inference ${peer.infer512_ms.toFixed(0)} ms; peak RSS ${peer.peak_rss_mb.toFixed(0)} MB`);
  if (!backends.includes('cpu')) console.log('cpu (stock tfjs): skipped — its Conv2DBackpropFilter is pathological (a 128² batch-8 step did not finish in 635 s); pass --backends cpu to force');
  for (const backend of backends) {
    let said = false;
    for (const size of sizes) {
      // wasm is ~40× slower: one timed step is enough to see it.
      const r = runChild(backend, 'train', size, backend === 'wasm' || backend === 'cpu' ? 1 : steps, size === profileSize);
      results.push(r);
      if (!said && r.selected) (console.log(`${backend}: ${r.selected}`), (said = true));
      if (r.error && backend === 'wasm' && /memory|Abort/i.test(r.error)) r.error += ' — the step needs more than the wasm heap holds (32-bit, ≤ 4 GiB; native-cpu peaks at ~3.7 GB RSS at 256²)';
      if (r.unavailable || r.error) { console.log(`${backend} ${size}²: ${r.unavailable ? `unavailable (${r.unavailable})` : `error: ${r.error}`}`); if (r.unavailable) break; continue; }
      const ratio = peer ? r.msPerStep / peer.steps[size] : undefined;
      r.ratioToTorch = ratio;
      console.log(`${backend} ${size}²: ${r.msPerStep.toFixed(0)} ms/step (CPU ${r.cpuMsPerStep.toFixed(0)} ms${peer ? `, ${(r.cpuMsPerStep / peer.cpu_steps[size]).toFixed(2)}× PyTorch's` : ''}), ${r.slicesPerS.toFixed(2)} slices/s, peak RSS ${r.peakRssMb.toFixed(0)} MB${ratio ? `, ${ratio.toFixed(2)}× PyTorch` : ''} [${r.builder}]`);
      if (r.kernels) {
        const top = r.kernels.slice(0, 5).map((k: any) => `${k.name} ${k.ms.toFixed(0)} ms/${k.calls}`).join(', ');
        console.log(`  top kernels (profiled step, kernels total ${r.kernelTotalMs.toFixed(0)} ms): ${top}`);
      }
    }
    if (results.at(-1)?.unavailable) continue;
    const inf = runChild(backend, 'infer', 512, 1, false);
    results.push(inf);
    if (inf.inferMs) console.log(`${backend} 512² inference: ${inf.inferMs.toFixed(0)} ms${peer ? ` (${(inf.inferMs / peer.infer512_ms).toFixed(2)}× PyTorch)` : ''}, peak RSS ${inf.peakRssMb.toFixed(0)} MB`);
  }
  mkdirSync(join(here, 'out'), { recursive: true });
  writeFileSync(join(here, 'out', 'train.json'), JSON.stringify({ date: new Date().toISOString(), batch: BATCH, depth: DEPTH, base: BASE, peer, results }, null, 2));
  console.log(`wrote ${join('bench', 'out', 'train.json')}`);
}

await (process.argv.includes('--child') ? child() : parent());
