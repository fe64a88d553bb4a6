// Label-free check of the candidate gate (features.candidateMinHu) on ingested pictures or slices:
//   node --import tsx tools/candidate-gate-real.ts INGEST_DIR [--set key.path=value ...]
// For each case of INGEST_DIR/cohort.jsonl (`covseg ingest`, e.g. with --window auto) it computes the
// lung mask (2D for single slices) and, inside it, the aerated-lung peak (mode of the HU histogram),
// the peak's width from its lower side (mode − 16th percentile: lesions only widen the upper side),
// and where the gate sits: in HU above the peak, in those widths, and the share of lung pixels above it.
// No reference mask is read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyOverrides, defaultConfigSection, readVolume, type Json } from '@covseg/io';
import { featuresConfigSchema, lungMask, lungMask2d, lungmaskConfigSchema } from '@covseg/features';

const [dir, ...rest] = process.argv.slice(2);
const sets = rest.flatMap((a, i) => (a === '--set' ? [rest[i + 1]] : []));
const sections = applyOverrides({ features: defaultConfigSection('features') as Json, lungmask: defaultConfigSection('lungmask') as Json }, sets) as Record<string, Json>;
const features = featuresConfigSchema.parse(sections.features);
const lungCfg = lungmaskConfigSchema.parse(sections.lungmask);
const gate = features.candidateMinHu;
const rows = readFileSync(join(dir, 'cohort.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.status === 'ok');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out: { mode: number; width: number; above: number }[] = [];
for (const r of rows) {
  const v = await readVolume(r.image, { allow2D: true });
  const mask = (v.shape[0] === 1 ? lungMask2d(v, lungCfg) : lungMask(v, lungCfg)).data;
  const hist = new Map<number, number>();
  const vals: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) vals.push(v.data[i]);
  if (vals.length === 0) {
    console.log(`${r.id}: no lung`);
    continue;
  }
  vals.sort((a, b) => a - b);
  // mode of a 10-HU histogram (pictures quantise HU to about 5 HU steps)
  for (const x of vals) hist.set(Math.floor(x / 10), (hist.get(Math.floor(x / 10)) ?? 0) + 1);
  const modeBin = [...hist.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const mode = modeBin * 10 + 5;
  const p16 = vals[Math.floor(0.16 * vals.length)];
  const width = Math.max(1, mode - p16);
  const above = vals.filter((x) => x > gate).length / vals.length;
  out.push({ mode, width, above });
  console.log(`${r.id}: lung peak ${mode} HU, width ${width} HU, gate ${gate} = peak + ${gate - mode} HU = ${((gate - mode) / width).toFixed(1)} widths, ${(100 * above).toFixed(1)} % of lung pixels above`);
}
console.log(`\n${out.length} cases: median lung peak ${median(out.map((o) => o.mode))} HU, median width ${median(out.map((o) => o.width))} HU, gate at median ${median(out.map((o) => (gate - o.mode) / o.width)).toFixed(1)} widths above the peak; median ${(100 * median(out.map((o) => o.above))).toFixed(1)} % of lung pixels above the gate`);
