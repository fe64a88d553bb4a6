import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfigSection, type Volume } from '@covseg/io';
import { generatePhantomCase, phantomConfigSchema } from '@covseg/phantom';
import { clusterCohort, defaultPseudolabelSections, classifyVoxels, composeLabelVolume, pseudolabelVolume, type CandidateFeatures } from '@covseg/pseudolabel';
const seeds = process.argv[2].split(',');
const shape = (process.argv[3] ?? '64,192,192').split(',').map(Number) as [number,number,number];
const sets = process.argv.slice(4);
const cfg = defaultPseudolabelSections(sets);
const phantom = phantomConfigSchema.parse(defaultConfigSection('phantom'));
const hb = (v: number) => Math.max(0, Math.min(11, Math.floor((v + 700) / 50)));
for (const seed of seeds) {
  const cases = new Map<string, { image: Volume; label: Uint8Array; f: CandidateFeatures }>();
  for (let i = 0; i < 4; i++) {
    const id = `pl-study:${seed}:${i}`;
    const c = generatePhantomCase({ ...phantom, shape, healthyFraction: 0 }, id);
    const file = join('/tmp/pl-cache', `${id}:${shape.join('x')}`.replace(/[^\w.-]/g, '_') + '.bin');
    const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8'));
    const b = readFileSync(file);
    const indices = new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + meta.rows * 4));
    const values = new Float32Array(b.buffer.slice(b.byteOffset + meta.rows * 4, b.byteOffset + b.length));
    cases.set(id, { image: c.image, label: c.label.data, f: { names: meta.names, values, indices, lungMask: c.label.data.map((t) => (t ? 1 : 0)) } });
  }
  const cohort = [...cases.keys()].map((id) => ({ id, image: id }));
  const model = await clusterCohort(cohort, cfg.cluster, { extract: (v, c) => cases.get(c.id)!.f, read: async (c) => cases.get(c.id)!.image, quiet: true });
  // error kinds: truth t → pred p: raw cluster class histogram and HU histogram (bins of 50 from -700)
  const kinds: Record<string, { raw: number[]; hu: number[] }> = {};
  for (const [id, e] of cases) {
    const raw = composeLabelVolume(e.f.lungMask, e.f.indices, classifyVoxels(e.f.values, model));
    const { labels, stats } = pseudolabelVolume(e.image, e.f, model, cfg.pseudolabel);
    console.log(id, JSON.stringify(stats.shape));
    for (let i = 0; i < raw.length; i++) {
      const t = e.label[i], p = labels.data[i];
      if (t === p || t < 1) continue;
      const k = `${t}->${p}`;
      kinds[k] ??= { raw: [0,0,0,0,0], hu: new Array(12).fill(0) };
      kinds[k].raw[raw[i]]++;
      kinds[k].hu[hb(e.image.data[i])]++;
    }
  }
  for (const [k, v] of Object.entries(kinds).sort()) console.log(`  ${k}: raw ${v.raw.join(' ')} | HU(-700+50k) ${v.hu.join(' ')}`);
}
