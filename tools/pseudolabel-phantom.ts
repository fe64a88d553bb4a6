// Pseudo-label quality on a phantom cohort with the TRUTH lung mask (issue 14, part 3):
//   node --import tsx tools/pseudolabel-phantom.ts [--cases 4] [--shape 64,192,192] [--seeds 1,2,3]
//        [--healthy 0] [--set key.path=value ...] [--confusion] [--cache DIR]
// Per seed S it builds `cases` phantom cases (seed strings `pl-study:S:i`, libs/phantom), computes the
// feature stack on the truth lung (label > 0), fits K-means on the cohort and pseudo-labels every case
// exactly as `covseg cluster` + `covseg pseudolabel` do, then prints per-class Dice per case and pooled
// over the cohort's voxels. Features are cached per case (--cache) so cleaning settings can be compared.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfigSection, type Volume } from '@covseg/io';
import { generatePhantomCase, phantomConfigSchema } from '@covseg/phantom';
import { computeFeatures } from '@covseg/features';
import { clusterCohort, defaultPseudolabelSections, pseudolabelVolume, type CandidateFeatures, type FeatureExtractor } from '@covseg/pseudolabel';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const sets = args.flatMap((a, i) => (a === '--set' ? [args[i + 1]] : []));
const nCases = Number(opt('cases', '4'));
const shape = opt('shape', '64,192,192').split(',').map(Number) as [number, number, number];
const seeds = opt('seeds', '1,2,3').split(',');
const healthyFraction = Number(opt('healthy', '0'));
const cacheDir = opt('cache', '');
const showConfusion = args.includes('--confusion');
const CLASSES = ['background', 'lung', 'GGO', 'consolidation', 'vessels'];

const cfg = defaultPseudolabelSections(sets);
const phantom = phantomConfigSchema.parse(defaultConfigSection('phantom'));

/** Feature stack of a case on its truth lung, from the cache when the same settings produced it. */
async function caseFeatures(id: string, image: Volume, lung: Uint8Array): Promise<CandidateFeatures> {
  // the cache is valid for these feature settings on exactly this image (the phantom generator may change)
  const key = JSON.stringify(cfg.features) + createHash('sha256').update(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength)).digest('hex');
  const file = cacheDir ? join(cacheDir, `${id.replace(/[^\w.-]/g, '_')}.bin`) : '';
  if (file && existsSync(`${file}.json`) && JSON.parse(readFileSync(`${file}.json`, 'utf8')).key === key) {
    const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8'));
    const b = readFileSync(file);
    const rows = meta.rows as number;
    const indices = new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + rows * 4));
    const values = new Float32Array(b.buffer.slice(b.byteOffset + rows * 4, b.byteOffset + b.length));
    return { names: meta.names, values, indices, lungMask: lung, params: meta.params };
  }
  const f = await computeFeatures(image, lung, cfg.features);
  if (file) {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(file, Buffer.concat([Buffer.from(f.indices.buffer, f.indices.byteOffset, f.indices.byteLength), Buffer.from(f.values.buffer, f.values.byteOffset, f.values.byteLength)]));
    writeFileSync(`${file}.json`, JSON.stringify({ key, rows: f.indices.length, names: f.names, params: f.params }));
  }
  return { ...f, lungMask: lung };
}

const dice = (m: number[][], c: number) => {
  const tp = m[c][c];
  const t = m[c].reduce((a, b) => a + b, 0);
  const p = m.reduce((a, row) => a + row[c], 0);
  return t + p === 0 ? NaN : (2 * tp) / (t + p);
};
const fmt = (x: number) => (Number.isNaN(x) ? '  –  ' : x.toFixed(3));
const zero = () => CLASSES.map(() => CLASSES.map(() => 0));

const all = zero();
const summary: string[] = [];
let featureSeconds = 0, labelSeconds = 0, labelCpuSeconds = 0;
for (const seed of seeds) {
  const cases = new Map<string, { image: Volume; label: Uint8Array; features?: CandidateFeatures }>();
  for (let i = 0; i < nCases; i++) {
    const id = `pl-study:${seed}:${i}`;
    const c = generatePhantomCase({ ...phantom, shape, healthyFraction }, id);
    cases.set(id, { image: c.image, label: c.label.data });
  }
  const extract: FeatureExtractor = async (v, c) => {
    const e = cases.get(c.id)!;
    if (!e.features) {
      const t = performance.now();
      e.features = await caseFeatures(`${c.id}:${shape.join('x')}`, v, e.label.map((t) => (t ? 1 : 0)));
      featureSeconds += (performance.now() - t) / 1000;
    }
    return e.features;
  };
  const cohort = [...cases.keys()].map((id) => ({ id, image: `${id}.nii.gz` }));
  const model = await clusterCohort(cohort, cfg.cluster, { extract, read: async (c) => cases.get(c.id)!.image, quiet: true });
  const pooled = zero();
  for (const c of cohort) {
    const { image, label } = cases.get(c.id)!;
    const features = await extract(image, c);
    const t = performance.now();
    const cpu = process.cpuUsage();
    const { labels } = pseudolabelVolume(image, features, model, cfg.pseudolabel);
    labelSeconds += (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    labelCpuSeconds += (used.user + used.system) / 1e6;
    const m = zero();
    for (let i = 0; i < label.length; i++) m[label[i]][labels.data[i]]++;
    for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) (pooled[a][b] += m[a][b]), (all[a][b] += m[a][b]);
    const truthVox = [2, 3, 4].map((k) => m[k].reduce((s, v) => s + v, 0));
    console.log(`${c.id}  GGO ${fmt(dice(m, 2))}  consolidation ${fmt(dice(m, 3))}  vessels ${fmt(dice(m, 4))}  lung ${fmt(dice(m, 1))}   (truth voxels GGO ${truthVox[0]}, cons ${truthVox[1]}, vessels ${truthVox[2]}; spacing ${image.spacing.map((s) => s.toFixed(2)).join('×')})`);
  }
  const line = `seed ${seed} pooled  GGO ${fmt(dice(pooled, 2))}  consolidation ${fmt(dice(pooled, 3))}  vessels ${fmt(dice(pooled, 4))}  lung ${fmt(dice(pooled, 1))}   mapping [${model.mapping.join(',')}]`;
  console.log(line);
  summary.push(line);
}
console.log(`\n${nCases} cases × ${seeds.length} seeds of ${shape.join('×')} (healthyFraction ${healthyFraction})${sets.length ? `, --set ${sets.join(' ')}` : ''}`);
for (const l of summary) console.log(l);
console.log(`all pooled  GGO ${fmt(dice(all, 2))}  consolidation ${fmt(dice(all, 3))}  vessels ${fmt(dice(all, 4))}  lung ${fmt(dice(all, 1))}`);
console.log(`features ${featureSeconds.toFixed(1)} s wall (0 when cached), pseudo-labelling ${labelSeconds.toFixed(1)} s wall, ${labelCpuSeconds.toFixed(1)} s CPU (one thread)`);
if (showConfusion) {
  console.log('\nconfusion (rows truth, columns pseudo-label; % of the truth row):');
  console.log(`${''.padEnd(14)}${CLASSES.map((c) => c.padStart(14)).join('')}`);
  for (let a = 1; a < 5; a++) {
    const n = all[a].reduce((s, v) => s + v, 0);
    console.log(`${CLASSES[a].padEnd(14)}${all[a].map((v) => `${((100 * v) / n).toFixed(1)}%`.padStart(14)).join('')}`);
  }
}
