// `npm run bench -- dicom [FOLDER...]`: reading compressed DICOM series (default: the shared COVID-CT-MD P001 and
// normal001, JPEG Lossless) with covseg's reader (itk-wasm GDCM) vs GDCM's Python binding (Debian python3-gdcm),
// in the same run: seconds, peak RSS, and whether the HU volumes are identical (SHA-256 of the int16 volume).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDebianPeer, runPeer, writeBenchResult } from './_peer.js';

const root = new URL('..', import.meta.url).pathname;
const folders = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const series = folders.length ? folders : ['P001', 'normal001'].map((n) => join(root, '../shared/data/covid-ct-md', n));

if (process.argv.includes('--child')) {
  // one read per process, so that its peak RSS is the read's own
  const { readVolume } = await import('@covseg/io');
  const t0 = performance.now();
  const v = await readVolume(folders[0]);
  const seconds = (performance.now() - t0) / 1000;
  const sha256 = createHash('sha256').update(new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength)).digest('hex');
  console.log(JSON.stringify({ seconds: +seconds.toFixed(2), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), shape: v.shape, sha256 }));
  process.exit(0);
}

const peer = ensureDebianPeer(['gdcm'], ['python3-gdcm']);
const results = [];
for (const dir of series) {
  if (!existsSync(dir)) {
    console.log(`bench dicom: ${dir} absent — skipped`);
    continue;
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', dir], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`covseg read failed: ${r.stderr.trim().split('\n').pop()}`);
  const ours = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const gdcm = peer ? runPeer(join(root, 'bench/dicom_peer.py'), [dir]) : undefined;
  const row = { series: dir, shape: ours.shape, covseg: ours, gdcm_python: gdcm, same_hu: gdcm ? gdcm.sha256 === ours.sha256 : null, time_ratio: gdcm ? +(ours.seconds / gdcm.seconds).toFixed(2) : null };
  results.push(row);
  console.log(`${dir}: ${ours.shape.join('×')}  covseg ${ours.seconds} s, ${ours.peak_rss_mb} MB peak RSS` + (gdcm ? `  |  GDCM python ${gdcm.seconds} s, ${gdcm.peak_rss_mb} MB  |  ratio ${row.time_ratio}×, identical HU: ${row.same_hu}` : ''));
}
writeBenchResult('dicom', results);
