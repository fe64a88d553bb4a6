import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, readVolume, writeJsonAtomic } from '@covseg/io';
import { applyZScore, assignClusters, candidateFeatureExtractor, lungMasksFromDir, readKMeansModel, type KMeansModel } from '@covseg/pseudolabel';
import { addToLesionBudget, budgetGroupsOf, emptyLesionBudget, labelFilesOf, mapReference, readLabelMap, truthRowValues, type LesionBudget, type ValueMap } from '@covseg/evaluate';
import type { StageContext } from '../stage.js';

import { casesWithLungMask } from './lungmaskStage.js';
import { runCases } from './ingestStage.js';
import { lungMaskDir, kmeansFile, lesionBudgetFile } from '../runLayout.js';

/** K-means cluster (c + 1; 0 = not a candidate) of every voxel, from the candidates' features in original units. */
export function clusterMap(voxels: number, indices: ArrayLike<number>, values: Float32Array, model: KMeansModel): Uint8Array {
  const d = model.featureNames.length;
  const { labels } = assignClusters(applyZScore(values, d, model.scaling), d, Float32Array.from(model.centroids.scaled.flat()), model.k);
  const out = new Uint8Array(voxels);
  for (let r = 0; r < indices.length; r++) out[indices[r]] = labels[r] + 1;
  return out;
}

/**
 * The lesion budget of a run (model-free: K-means assignment is recomputed from the features with
 * kmeans.json, the U-Nets' labels are read from their prediction folders): every case with a reference,
 * a lung mask and labels from every source; the others are listed in `skipped` with what they lack.
 * `sources` = [name, folder] with the cleaned pseudo-labels first.
 */
export async function lesionBudgetOfRun(ctx: StageContext, ref: { dir: string; map?: ValueMap }, sources: [string, string][]): Promise<LesionBudget & { skipped: string[] }> {
  const model = readKMeansModel(kmeansFile(ctx.runDir));
  const extract = candidateFeatureExtractor(ctx.config.features, lungMasksFromDir(lungMaskDir(ctx.runDir)));
  const refs = labelFilesOf(ref.dir);
  const files = sources.map(([name, dir]) => [name, labelFilesOf(dir)] as const);
  const budget = emptyLesionBudget(budgetGroupsOf(truthRowValues(ref.map)), model.mapping, sources.map(([n]) => n), ctx.config.features.candidateMinHu, sources[0][0]);
  const skipped: string[] = [];
  const withMask = new Set(casesWithLungMask(ctx.runDir).map((c) => c.id));
  for (const c of runCases(ctx.runDir)) {
    if (!refs.has(c.id)) continue;
    const missing = [...(withMask.has(c.id) ? [] : ['lung mask']), ...files.filter(([, f]) => !f.has(c.id)).map(([n]) => n)];
    if (missing.length) {
      skipped.push(`${c.id} (no ${missing.join(', ')})`);
      continue;
    }
    const image = await readVolume(c.image!, { allow2D: true });
    const f = await extract(image, { id: c.id, image: c.image! });
    if (f.names.join() !== model.featureNames.join()) throw new InputError(`features [${f.names}] differ from those kmeans.json was fitted on [${model.featureNames}]`, c.image);
    const truth = await readLabelMap(refs.get(c.id)!, ctx.config.evaluate.pngSpacingMm);
    if (truth.data.length !== image.data.length) throw new InputError(`reference ${truth.shape.join('×')} and CT ${image.shape.join('×')} differ in size`, refs.get(c.id));
    const labels: Record<string, Uint8Array> = {};
    for (const [name, f] of files) labels[name] = (await readLabelMap(f.get(c.id)!, ctx.config.evaluate.pngSpacingMm)).data;
    addToLesionBudget(budget, c.id, { truth: mapReference(truth.data, ref.map), hu: image.data, lungMask: f.lungMask, cluster: clusterMap(image.data.length, f.indices, f.values, model), sources: labels });
  }
  return { ...budget, skipped };
}

/** Computes the run's lesion budget and writes lesion-budget.json; returns it (undefined when the run has no K-means model or pseudo-labels). */
export async function writeLesionBudget(ctx: StageContext, ref: { dir: string; map?: ValueMap }, sources: [string, string][]): Promise<LesionBudget | undefined> {
  const present = sources.filter(([, dir]) => existsSync(dir));
  if (!existsSync(kmeansFile(ctx.runDir)) || present[0]?.[0] !== sources[0][0]) return undefined;
  const budget = await lesionBudgetOfRun(ctx, ref, present);
  if (budget.skipped.length) ctx.log(`[evaluate] lesion budget: ${budget.skipped.length} case(s) with a reference left out: ${budget.skipped.slice(0, 5).join(', ')}${budget.skipped.length > 5 ? ', …' : ''}`);
  writeJsonAtomic(lesionBudgetFile(ctx.runDir), budget);
  return budget;
}
