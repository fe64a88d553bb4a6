import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { createRng, defaultConfigSection, readShardIndex, readSlice, verifyShards, writeLabelVolume, type Volume } from '@covseg/io';
import { lungMask, lungmaskConfigSchema } from '@covseg/features';
import { lungMaskProvider } from './extractFeatures.js';
import { clusterCohort, fitCaseSamples, pickClusterCases, sampleClusterCases, type CohortImage } from './clusterCohort.js';
import { readCaseSamples, writeCaseSample } from './caseSampleFiles.js';
import type { FeatureExtractor } from './featureSource.js';
import { importCorrections } from './importCorrections.js';
import { labelMapPng } from './labelPng.js';
import { pseudolabelCohort, caseLabelPath } from './pseudolabelCohort.js';
import { writeReviewPack } from './reviewPack.js';
import { defaultPseudolabelSections } from './sections.js';
import { writeKMeansModel } from './kmeansModel.js';

/**
 * A synthetic case (12×48×48): a lung box of -850 HU holding a GGO blob (-500), a consolidation
 * blob (20) and a vessel line (40). The test extractor gives hu + a "frangi" channel that is high
 * on the vessel line, so the pipeline's plumbing is tested without the (slower) real filters.
 */
function syntheticCase(seed: number): { volume: Volume; truth: Uint8Array } {
  const [nz, ny, nx] = [12, 48, 48];
  const rng = createRng(`case:${seed}`);
  const data = new Int16Array(nz * ny * nx).fill(-1000);
  const truth = new Uint8Array(data.length);
  const cy = 20 + (seed % 5), cx = 18 + (seed % 7);
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (z < 1 || z > 10 || y < 4 || y > 43 || x < 4 || x > 43) continue;
        let t = 1, hu = -850;
        if ((y - cy) ** 2 + (x - cx) ** 2 + (z - 6) ** 2 * 4 < 36) (t = 2), (hu = -500);
        if ((y - 34) ** 2 + (x - 34) ** 2 + (z - 5) ** 2 * 4 < 16) (t = 3), (hu = 20);
        if (y === 10 && x > 8 && x < 40) (t = 4), (hu = 40);
        data[i] = Math.round(hu + 10 * rng.normal());
        truth[i] = t;
      }
  const volume: Volume = { data, shape: [nz, ny, nx], spacing: [2, 0.8, 0.8], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
  return { volume, truth };
}

const cases = new Map([0, 1, 2, 3].map((s) => [`case-${s}`, syntheticCase(s)]));
const cohort: CohortImage[] = [...cases.keys()].map((id) => ({ id, image: `${id}.nii.gz` }));
const read = async (c: CohortImage) => cases.get(c.id)!.volume;
const extract: FeatureExtractor = (v, c) => {
  const truth = cases.get(c.id)!.truth;
  const idx: number[] = [];
  for (let i = 0; i < v.data.length; i++) if (truth[i] && v.data[i] > -700) idx.push(i);
  const values = new Float32Array(idx.length * 2);
  idx.forEach((i, r) => {
    values[2 * r] = v.data[i];
    values[2 * r + 1] = truth[i] === 4 ? 0.8 : 0.05;
  });
  return { names: ['hu', 'frangi_s1'], values, indices: Uint32Array.from(idx), lungMask: truth.map((t) => (t ? 1 : 0)) };
};
const cfg = defaultPseudolabelSections(['cluster.patients=3', 'cluster.sampleVoxels=3000', 'pseudolabel.slices=12', 'pseudolabel.minLungPixels=100', 'pseudolabel.cleaning.minConsolidationMm3=5', 'pseudolabel.cleaning.opening.radius=0', 'pseudolabel.cleaning.ggoOpening.radius=0', 'pseudolabel.shape.maxVesselRadiusMm=0', 'review.count=4']);
const tmp = () => mkdtempSync(join(tmpdir(), 'covseg-pl-'));

async function runAll(dir: string) {
  const model = await clusterCohort(cohort, cfg.cluster, { extract, read, quiet: true });
  writeKMeansModel(join(dir, 'kmeans.json'), model);
  const r = await pseudolabelCohort(cohort, join(dir, 'out'), { model, extract, read, config: cfg.pseudolabel, draw: true, quiet: true });
  return { model, r };
}

describe('cluster + pseudolabel stages', () => {
  let a: string, b: string;
  let first: Awaited<ReturnType<typeof runAll>>;
  beforeAll(async () => {
    a = tmp();
    b = tmp();
    first = await runAll(a);
    await runAll(b);
  });

  it('labels every case exactly on this easy cohort and draws the configured slices', async () => {
    expect(first.r.labelled).toHaveLength(4);
    expect(first.model.mapping.slice().sort()).toEqual([2, 3, 4]);
    expect(Object.values(first.model.samplePerCase).every((n) => n <= 1000)).toBe(true);
    const idx = readShardIndex(join(a, 'out/shards'));
    expect(idx.slices).toHaveLength(12);
    expect(verifyShards(join(a, 'out/shards'))).toEqual([]);
    for (const e of idx.slices) {
      const s = readSlice(join(a, 'out/shards'), e);
      const { volume, truth } = cases.get(e.caseId)!;
      const plane = 48 * 48;
      expect(Array.from(s.image)).toEqual(Array.from(volume.data.subarray(e.sliceIndex * plane, (e.sliceIndex + 1) * plane)));
      expect(Array.from(s.label)).toEqual(Array.from(truth.subarray(e.sliceIndex * plane, (e.sliceIndex + 1) * plane)));
      expect(e.classCounts[1] + e.classCounts[2] + e.classCounts[3] + e.classCounts[4]).toBeGreaterThanOrEqual(100);
    }
  });

  it('scale-out: cluster samples drawn by 3 shard workers, merged, give the same kmeans.json as one run', async () => {
    const samples = join(tmp(), 'samples');
    const chosen = pickClusterCases(cohort, cfg.cluster);
    for (let k = 0; k < 3; k++) {
      const mine = new Set(chosen.filter((_, i) => i % 3 === k).map((c) => c.id));
      for (const s of await sampleClusterCases(cohort, cfg.cluster, { extract, read, quiet: true, only: (c) => mine.has(c.id) })) writeCaseSample(samples, s);
    }
    const merged = fitCaseSamples(readCaseSamples(samples, chosen.map((c) => c.id)), cfg.cluster);
    const out = join(tmp(), 'kmeans.json');
    writeKMeansModel(out, merged);
    expect(readFileSync(out)).toEqual(readFileSync(join(a, 'kmeans.json')));
    expect(() => readCaseSamples(join(tmp(), 'empty'), chosen.map((c) => c.id))).toThrow(/no sample for case case-0: run every 'covseg cluster --shard k\/n' worker/);
  });

  it('same seed → byte-identical kmeans.json and shard store', () => {
    expect(readFileSync(join(b, 'kmeans.json'))).toEqual(readFileSync(join(a, 'kmeans.json')));
    for (const f of readdirSync(join(a, 'out/shards'))) expect(readFileSync(join(b, 'out/shards', f))).toEqual(readFileSync(join(a, 'out/shards', f)));
  });

  it('resumes: existing label files are reused, a --shard worker does not draw, the store is not redrawn', async () => {
    const c = tmp();
    const half = await pseudolabelCohort(cohort.slice(0, 2), c, { model: first.model, extract, read, config: cfg.pseudolabel, draw: false, quiet: true });
    expect(half.labelled).toEqual(['case-0', 'case-1']);
    expect(existsSync(join(c, 'shards'))).toBe(false);
    const rest = await pseudolabelCohort(cohort, c, { model: first.model, extract, read, config: cfg.pseudolabel, draw: true, quiet: true });
    expect(rest.reused).toEqual(['case-0', 'case-1']);
    expect(rest.labelled).toEqual(['case-2', 'case-3']);
    expect(readFileSync(join(c, 'shards/index.json'))).toEqual(readFileSync(join(a, 'out/shards/index.json')));
    const again = await pseudolabelCohort(cohort, c, { model: first.model, extract, read, config: cfg.pseudolabel, draw: true, quiet: true });
    expect(again.alreadyDrawn).toBe(true);
    expect(again.labelled).toEqual([]);
    expect(existsSync(caseLabelPath(c, 'case-3'))).toBe(true);
  });

  it('review writes one overlay and one label map per slice, named by slice key, and an index.html with a legend', () => {
    const out = tmp();
    const entries = writeReviewPack(join(a, 'out/shards'), out, cfg.review);
    expect(entries).toHaveLength(4);
    const keys = new Set(readShardIndex(join(a, 'out/shards')).slices.map((s) => s.key));
    for (const e of entries) {
      expect(keys.has(e.key)).toBe(true);
      const png = PNG.sync.read(readFileSync(join(out, `${e.key}.png`)));
      expect([png.width, png.height]).toEqual([48 * 2 + 4, 48]);
      expect(existsSync(join(out, 'labels', `${e.key}.png`))).toBe(true);
    }
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const name of ['lung', 'ggo', 'consolidation', 'vessels']) expect(html).toContain(name);
    expect(html).toContain(`${entries[0].key}.png`);
  });
});

describe('import-corrections', () => {
  async function store() {
    const d = tmp();
    const model = await clusterCohort(cohort, cfg.cluster, { extract, read, quiet: true });
    await pseudolabelCohort(cohort, d, { model, extract, read, config: cfg.pseudolabel, draw: true, quiet: true });
    return join(d, 'shards');
  }
  const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));

  it('a corrected PNG (class colours) changes exactly that slice; the log counts pixels per class; re-running is idempotent', async () => {
    const shards = await store();
    const idx = readShardIndex(shards);
    const target = idx.slices[3];
    const before = idx.slices.map((e) => readSlice(shards, e));
    const corrected = Uint8Array.from(before[3].label);
    let changed = 0;
    for (let i = 0; i < corrected.length; i++) if (corrected[i] === 1 && changed < 50) (corrected[i] = 3), changed++;
    const from = tmp();
    writeFileSync(join(from, `${target.key}.png`), labelMapPng(corrected, target.width, target.height));
    const r = await importCorrections(shards, from, { colourTolerance: cfg.review.colourTolerance });
    expect(r.replaced).toHaveLength(1);
    expect(r.replaced[0]).toMatchObject({ key: target.key, changedPixels: 50, fromClass: [0, 50, 0, 0, 0], toClass: [0, 0, 0, 50, 0] });
    const after = readShardIndex(shards);
    after.slices.forEach((e, i) => {
      const s = readSlice(shards, e);
      expect(Array.from(s.image)).toEqual(Array.from(before[i].image));
      expect(Array.from(s.label)).toEqual(Array.from(i === 3 ? corrected : before[i].label));
    });
    expect(verifyShards(shards)).toEqual([]);
    const snap = snapshot(shards);
    const again = await importCorrections(shards, from, { colourTolerance: cfg.review.colourTolerance });
    expect(again.replaced).toEqual([]);
    expect(again.unchanged).toEqual([target.key]);
    expect(snapshot(shards)).toEqual(snap);
    expect(JSON.parse(readFileSync(join(shards, 'corrections.json'), 'utf8')).corrections[target.key].changedPixels).toBe(50);
  });

  it('a grey-value PNG and a NIfTI case volume are read as label values', async () => {
    const shards = await store();
    const idx = readShardIndex(shards);
    const e = idx.slices[0];
    const grey = new PNG({ width: e.width, height: e.height });
    const want = readSlice(shards, e).label.map((v) => (v === 2 ? 1 : v));
    for (let i = 0; i < want.length; i++) grey.data.set([want[i], want[i], want[i], 255], 4 * i);
    const from = tmp();
    writeFileSync(join(from, `${e.key}.png`), PNG.sync.write(grey));
    await importCorrections(shards, from, { colourTolerance: 0 });
    expect(Array.from(readSlice(shards, readShardIndex(shards).slices[0]).label)).toEqual(Array.from(want));

    const caseId = idx.slices[idx.slices.length - 1].caseId;
    const { volume, truth } = cases.get(caseId)!;
    const edited = truth.map((t) => (t === 4 ? 1 : t));
    const nii = join(tmp(), `${caseId}.nii.gz`);
    const { data: _d, ...geometry } = volume;
    await writeLabelVolume(nii, { ...geometry, data: edited });
    const r = await importCorrections(shards, nii, { colourTolerance: 0 });
    const ofCase = readShardIndex(shards).slices.filter((s) => s.caseId === caseId);
    expect(r.replaced.length + r.unchanged.length).toBe(ofCase.length);
    for (const s of ofCase) expect(readSlice(shards, s).label.includes(4)).toBe(false);
  });

  it.each([
    ['wrong size', (key: string) => [`${key}.png`, labelMapPng(new Uint8Array(10 * 10), 10, 10)], /label map is 10×10, slice .* is 48×48/],
    ['value 7', (key: string) => {
      const p = new PNG({ width: 48, height: 48 });
      p.data.fill(255);
      for (let i = 0; i < 48 * 48; i++) p.data.set([7, 7, 7, 255], 4 * i);
      return [`${key}.png`, PNG.sync.write(p)];
    }, /pixel \(x=0, y=0\) has value 7/],
    ['unknown slice key', () => ['case-9_z0003.png', labelMapPng(new Uint8Array(48 * 48), 48, 48)], /unknown slice key 'case-9_z0003'/],
  ] as const)('a bad file (%s) → clear error naming the file, shards untouched', async (_what, make, message) => {
    const shards = await store();
    const key = readShardIndex(shards).slices[0].key;
    const snap = snapshot(shards);
    const from = tmp();
    // A good correction beside the bad one must not be applied either.
    writeFileSync(join(from, `${readShardIndex(shards).slices[1].key}.png`), labelMapPng(new Uint8Array(48 * 48).fill(1), 48, 48));
    const [name, bytes] = make(key);
    writeFileSync(join(from, name as string), bytes as Buffer);
    const err = await importCorrections(shards, from, { colourTolerance: 0 }).then(() => null, (e: Error) => e);
    expect(err?.name).toBe('InputError');
    expect(err?.message).toMatch(message);
    expect(err?.message).toContain(join(from, name as string));
    expect(err?.message.split('\n')).toHaveLength(1);
    expect(snapshot(shards)).toEqual(snap);
  });
});

describe('lung-mask source of cluster and pseudolabel', () => {
  it('without --lung-masks or --lung-from-label each mask is computed as `covseg lungmask` computes it; both flags together are refused', async () => {
    const cfg = lungmaskConfigSchema.parse(defaultConfigSection('lungmask'));
    // a chest: air outside, a soft-tissue body, two air-filled lungs (about 35 ml each) inside it
    const [nz, ny, nx] = [16, 64, 64];
    const data = new Int16Array(nz * ny * nx);
    for (let z = 0, i = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, i++) {
          const body = ((y - 32) / 28) ** 2 + ((x - 32) / 30) ** 2 < 1;
          const lung = [18, 46].some((cx) => ((y - 32) / 13) ** 2 + ((x - cx) / 9) ** 2 + ((z - 8) / 6) ** 2 < 1);
          data[i] = !body ? -1000 : lung ? -850 : 40;
        }
    const volume: Volume = { data, shape: [nz, ny, nx], spacing: [5, 2, 2], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    const computed = await lungMaskProvider({ compute: cfg })(volume, cohort[0]);
    expect(Array.from(computed)).toEqual(Array.from(lungMask(volume, cfg).data));
    expect(computed.some((v) => v === 1)).toBe(true);
    expect(() => lungMaskProvider({ dir: 'masks', fromLabel: true, compute: cfg })).toThrow(/either --lung-masks or --lung-from-label/);
  });
});
