import { defaultConfigSection } from '@covseg/io';
// `npm run bench -- features [256,512]`: Hessian (σ=1) + eigenvalues + Frangi σ=1,2,3 on phantom-like 128-slice volumes,
// ours (z-blocks, worker threads) vs scikit-image 0.19 (Debian python3-skimage) in the same run; outputs compared.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePhantomCase, phantomConfigSchema } from '@covseg/phantom';
import { frangiFilter, hessianEigenvalues } from '@covseg/features';
import { ensureDebianPeer, peakRssMb, runPeer, writeBenchResult } from './_peer.js';

const sizes = (process.argv[2] ?? '256,512').split(',').map(Number);
const NZ = 128;
const WORKERS = 2;
const BLOCK = 64;
const root = new URL('..', import.meta.url).pathname;
const phantomCfg = phantomConfigSchema.parse(defaultConfigSection('phantom'));
const havePeer = ensureDebianPeer(['skimage'], ['python3-skimage']);

/** Phantom CT at 256² in-plane (128 slices), upsampled ×2 in-plane (nearest) for 512². */
function phantomVolume(n: number): Int16Array {
  const c = generatePhantomCase({ ...phantomCfg, shape: [NZ, 256, 256], spacing: [1, 0.7, 0.7] }, 'bench-features');
  if (n === 256) return c.image.data;
  const f = n / 256;
  const out = new Int16Array(NZ * n * n);
  for (let z = 0; z < NZ; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) out[x + n * (y + n * z)] = c.image.data[((x / f) | 0) + 256 * (((y / f) | 0) + 256 * z)];
  return out;
}

const maxAbs = (a: Float32Array, b: Float32Array) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const range = (a: Float32Array) => {
  let lo = Infinity, hi = -Infinity;
  for (const v of a) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  return hi - lo;
};

const results: any[] = [];
for (const n of sizes) {
  const hu = phantomVolume(n);
  const shape = [NZ, n, n] as const;
  const voxels = hu.length;
  const vol = Float32Array.from(hu);
  let threads = 0;
  const t0 = performance.now();
  const ev = await hessianEigenvalues(vol, shape, 1, { mode: 'reflect', blockSlices: BLOCK, workers: WORKERS, onStart: (w) => (threads = w) });
  const t1 = performance.now();
  const fr = await frangiFilter(vol, shape, [1, 2, 3], { blockSlices: BLOCK, workers: WORKERS });
  const t2 = performance.now();
  const ours = { hessian_eigvals_s: (t1 - t0) / 1000, frangi_s: (t2 - t1) / 1000, total_s: (t2 - t0) / 1000, threads, peak_rss_mb: peakRssMb() };
  const r: any = { shape, voxels, ours, voxels_per_s: voxels / ours.total_s };
  console.log(`${NZ}×${n}×${n}: ours ${ours.total_s.toFixed(1)} s (Hessian+eig ${ours.hessian_eigvals_s.toFixed(1)} s, Frangi ×3 ${ours.frangi_s.toFixed(1)} s, ${threads} worker threads), ${(r.voxels_per_s / 1e6).toFixed(2)} Mvox/s, peak RSS ${ours.peak_rss_mb} MB`);
  if (havePeer) {
    const raw = join(tmpdir(), `covseg-bench-features-${n}.i16`);
    writeFileSync(raw, hu);
    const peer = runPeer(join(root, 'bench/features_peer.py'), [raw, String(NZ), String(n), String(n)]);
    const read = (suffix: string) => new Float32Array(readFileSync(raw + suffix).buffer.slice(0));
    const fMax = read('.frangi.f32');
    const eigErr = [0, 1, 2].map((k) => maxAbs(ev[k], read(`.eig${k}.f32`)));
    r.skimage = peer;
    r.ratio = peer.total_s / ours.total_s;
    r.max_abs_diff = { eig: eigErr, eig_range: range(read('.eig0.f32')), frangi_max: maxAbs(fr.max, fMax) };
    for (const s of ['', '.eig0.f32', '.eig1.f32', '.eig2.f32', '.frangi.f32']) rmSync(raw + s, { force: true });
    console.log(`  skimage ${peer.skimage}: ${peer.total_s.toFixed(1)} s (Hessian ${peer.hessian_s.toFixed(1)} + eig ${peer.eigvals_s.toFixed(1)} + Frangi ${peer.frangi_s.toFixed(1)}), peak RSS ${Math.round(peer.peak_rss_mb)} MB → ours ${r.ratio.toFixed(2)}× faster; max |Δ| eig ${eigErr.map((e) => e.toExponential(1)).join('/')}, frangi ${r.max_abs_diff.frangi_max.toExponential(1)}`);
  }
  results.push(r);
}
writeBenchResult('features', { bench: 'features', workers: WORKERS, blockSlices: BLOCK, results });
