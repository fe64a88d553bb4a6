import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLabelVolume, writeVolume, type LabelVolume } from '@covseg/io';
import type { GroupBudget } from '@covseg/evaluate';
import { candidateFeatureExtractor, lungMasksFromDir, writeKMeansModel, type KMeansModel } from '@covseg/pseudolabel';
import { loadConfig } from '../loadConfig.js';
import type { StageContext } from '../stage.js';
import { writeLesionBudget } from './lesionBudgetOfRun.js';
import { evaluatedSources } from './evaluateStage.js';
import { kmeansFile, lesionBudgetFile, predictionsDir } from '../runLayout.js';
import { evaluationTablesMarkdown } from '../report/evaluationTables.js';

const N = 8;
const geometry = { shape: [1, N, N] as [number, number, number], spacing: [1, 1, 1] as [number, number, number], origin: [0, 0, 0] as [number, number, number], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const grid = <T extends Int16Array | Uint8Array>(make: (n: number) => T, f: (y: number, x: number) => number): T => {
  const a = make(N * N);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) a[y * N + x] = f(y, x);
  return a;
};
// rows 0–1 GGO (−500 HU; column 0 at −800, below the −700 gate), rows 2–3 consolidation (20 HU), a vessel at (4–5, 3);
// the lung mask stops at column 6, so columns 6–7 of every lesion row lie outside it
const hu = (y: number, x: number) => (y < 2 ? (x === 0 ? -800 : -500) : y < 4 ? 20 : y < 6 && x === 3 ? 600 : -850);
const truth = (y: number, x: number) => (y < 2 ? 2 : y < 4 ? 3 : y < 6 && x === 3 ? 4 : x < 6 ? 1 : 0);
const lung = (_: number, x: number) => (x < 6 ? 1 : 0);
// before cleaning, candidates take their cluster's class by HU (clusters differ only in HU: −500 → 0 GGO, 0 → 1 consolidation, 1000 → 2 vessels)
const before = (y: number, x: number) => (!lung(y, x) ? 0 : hu(y, x) <= -700 ? 1 : hu(y, x) < -250 ? 2 : hu(y, x) < 500 ? 3 : 4);
// the "cleaning": GGO of column 1 → lung, consolidation of row 3 → GGO
const pseudo = (y: number, x: number) => (before(y, x) === 2 && x === 1 ? 1 : before(y, x) === 3 && y === 3 ? 2 : before(y, x));

async function sampleRun(): Promise<StageContext> {
  const runDir = mkdtempSync(join(tmpdir(), 'covseg-budget-'));
  const config = loadConfig({ sets: ['features.workers=1'] }).config;
  const label = (f: (y: number, x: number) => number): LabelVolume => ({ ...geometry, data: grid((n) => new Uint8Array(n), f) });
  const image = join(runDir, 'ingest', 'case-1.nii.gz');
  await writeVolume(image, { ...geometry, data: grid((n) => new Int16Array(n), hu) });
  mkdirSync(join(runDir, 'ingest'), { recursive: true });
  // case-2 has a reference but nothing else: left out, with what it lacks
  writeFileSync(join(runDir, 'ingest', 'cohort.jsonl'), [{ id: 'case-1', source: image, image, status: 'ok' }, { id: 'case-2', source: image, image, status: 'ok' }].map((c) => JSON.stringify(c) + '\n').join(''));
  await writeLabelVolume(join(runDir, 'truth', 'case-2.nii.gz'), label(truth));
  await writeLabelVolume(join(runDir, 'lungmask', 'case-1.nii.gz'), label(lung));
  await writeLabelVolume(join(runDir, 'truth', 'case-1.nii.gz'), label(truth));
  await writeLabelVolume(join(runDir, 'pseudolabel', 'labels', 'case-1.nii.gz'), label(pseudo));
  await writeLabelVolume(join(predictionsDir(runDir, 'unet-a'), 'case-1', 'labels.nii.gz'), label(truth)); // a perfect model
  const ctx: StageContext = { runDir, config, configHash: 'x', quiet: true, log: () => {} };
  // the model's feature names are those the extractor gives; centroids equal in every channel but HU
  const names = (await candidateFeatureExtractor(config.features, lungMasksFromDir(join(runDir, 'lungmask')))({ ...geometry, data: grid((n) => new Int16Array(n), hu) }, { id: 'case-1', image })).names;
  const d = names.length;
  const centroid = (h: number) => names.map((n) => (n === 'hu' ? h : 0));
  const model = { version: 1, featureNames: names, k: 3, scaling: { mean: new Array(d).fill(0), std: new Array(d).fill(1) }, centroids: { scaled: [centroid(-500), centroid(0), centroid(1000)], original: [centroid(-500), centroid(0), centroid(1000)] }, mapping: [2, 3, 4], inertia: 0, inertiaPerVoxel: 0, sampleSize: 1, samplePerCase: {}, classCounts: { ggo: 0, consolidation: 0, vessels: 0 }, steps: 0, stopReason: 'maxIter', seed: 0, config: {} } satisfies KMeansModel;
  writeKMeansModel(kmeansFile(runDir), model);
  return ctx;
}

describe('lesion budget of a run folder', () => {
  it('recomputes the K-means clusters from features and counts every step exactly', async () => {
    const ctx = await sampleRun();
    const b = (await writeLesionBudget(ctx, { dir: join(ctx.runDir, 'truth') }, evaluatedSources(ctx.runDir)))!;
    expect(b.cases).toEqual(['case-1']);
    expect((b as { skipped?: string[] }).skipped).toEqual(['case-2 (no lung mask, pseudolabel, unet-a)']);
    expect(b.cluster_classes).toEqual([2, 3, 4]);
    // per group, in pipeline order: truth, above the HU gate, in the lung, candidates, K-means clusters 0–2;
    // then [any lesion label, own class] before cleaning, removed, added, pseudo-labels, Unet-A
    const steps = (g: GroupBudget) => [g.truth, g.above_hu_gate, g.in_lung, g.candidate, ...g.clusters];
    const kept = (g: GroupBudget) => [g.before_cleaning, g.removed_by_cleaning, g.added_by_cleaning, g.sources.pseudolabel, g.sources['unet-a']].map((k) => [k.lesion, k.own_class]);
    expect(steps(b.groups.ggo!)).toEqual([16, 14, 12, 10, 10, 0, 0]);
    expect(kept(b.groups.ggo!)).toEqual([[10, 10], [2, 2], [0, 0], [8, 8], [16, 16]]);
    expect(steps(b.groups.consolidation!)).toEqual([16, 16, 12, 12, 0, 12, 0]);
    expect(kept(b.groups.consolidation!)).toEqual([[12, 12], [0, 6], [0, 0], [12, 6], [16, 16]]);
    expect(steps(b.groups.lesion!)).toEqual([32, 30, 24, 22, 10, 12, 0]);
    expect(kept(b.groups.lesion!)[1]).toEqual([2, 2]);
    expect(JSON.parse((await import('node:fs')).readFileSync(lesionBudgetFile(ctx.runDir), 'utf8')).groups.lesion.truth).toBe(32);
    expect(evaluationTablesMarkdown(ctx.runDir)).toContain('| inside the lung mask | 75.0 % | 75.0 % | 75.0 % |');
  });
});
