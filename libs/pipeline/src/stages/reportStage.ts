import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { overlayRgba, panelsToPng, readLabelVolume, readVolume, writeFileAtomicSync, type LabelVolume, isLesion } from '@covseg/io';
import { labelFilesOf, mapReference, readLabelMap, type CaseEvaluation } from '@covseg/evaluate';
import { evaluatedSources, referenceOf } from './evaluateStage.js';
import type { Stage, StageContext } from '../stage.js';
import { runCases } from './ingestStage.js';

import { writeRunReport, type GalleryItem } from '../report/runReport.js';
import { coronalPlane, lungRichestRow } from '../report/coronalPlane.js';
import { pseudolabelLabelsDir, predictionsDir, perCaseFile, reportDir } from '../runLayout.js';

/** The slice with most lesion (2 ∪ 3) voxels in a label volume (the middle slice when none). */
export function mostLesionSlice(l: LabelVolume): number {
  const [nz, ny, nx] = l.shape;
  let best = Math.floor(nz / 2), bestCount = 0;
  for (let z = 0; z < nz; z++) {
    let c = 0;
    for (let i = z * ny * nx; i < (z + 1) * ny * nx; i++) if (isLesion(l.data[i])) c++;
    if (c > bestCount) [best, bestCount] = [z, c];
  }
  return best;
}

/** Gallery: per held-out case, its most-lesion slice as CT | truth | pseudo-labels | Unet-A | Unet-B panels. */
async function renderGallery(ctx: StageContext): Promise<GalleryItem[]> {
  const items: GalleryItem[] = [];
  for (const c of runCases(ctx.runDir, 'heldOut')) {
    const image = await readVolume(c.image!, { allow2D: true });
    const sources: [string, string | undefined][] = [
      ['truth', c.label],
      ['pseudo-labels', join(pseudolabelLabelsDir(ctx.runDir), `${c.id}.nii.gz`)],
      ['Unet-A', join(predictionsDir(ctx.runDir, 'unet-a'), c.id, 'labels.nii.gz')],
      ['Unet-B', join(predictionsDir(ctx.runDir, 'unet-b'), c.id, 'labels.nii.gz')],
    ];
    const labels: [string, LabelVolume][] = [];
    for (const [name, p] of sources) if (p && existsSync(p)) labels.push([name, await readLabelVolume(p)]);
    const z = mostLesionSlice(labels[0]?.[1] ?? { ...image, data: new Uint8Array(image.data.length) });
    const [, ny, nx] = image.shape;
    const slice = image.data.subarray(z * ny * nx, (z + 1) * ny * nx);
    const panels = [{ rgba: overlayRgba(slice, null, nx, ny), width: nx }, ...labels.map(([, l]) => ({ rgba: overlayRgba(slice, l.data.subarray(z * ny * nx, (z + 1) * ny * nx), nx, ny), width: nx }))];
    const file = `gallery/${c.id}_z${String(z).padStart(4, '0')}.png`;
    writeFileAtomicSync(join(reportDir(ctx.runDir), file), panelsToPng(panels, ny));
    items.push({ src: file, caption: `${c.id} slice ${z}: CT | ${labels.map(([n]) => n).join(' | ')}` });
  }
  return items;
}

/**
 * Gallery against expert references (2D studies): the `count` best and worst cases by lesion Dice of the last
 * evaluated model, each as CT | reference | pseudo-labels | Unet-A | Unet-B on its most-lesion slice.
 */
async function referenceGallery(ctx: StageContext, count: number): Promise<GalleryItem[]> {
  const last = [...evaluatedSources(ctx.runDir)].reverse().find(([m]) => existsSync(perCaseFile(ctx.runDir, m, 'json')));
  if (!last) return [];
  const scored = (JSON.parse(readFileSync(perCaseFile(ctx.runDir, last[0], 'json'), 'utf8')) as CaseEvaluation[]).filter((k) => typeof k.classes.lesion?.dice === 'number');
  scored.sort((a, b) => b.classes.lesion!.dice! - a.classes.lesion!.dice!);
  const picks = [...scored.slice(0, count).map((k) => ['best', k] as const), ...scored.slice(Math.max(count, scored.length - count)).reverse().map((k) => ['worst', k] as const)];
  const ref = referenceOf(ctx);
  const refs = labelFilesOf(ref.dir);
  const images = new Map(runCases(ctx.runDir).map((c) => [c.id, c.image!]));
  const items: GalleryItem[] = [];
  for (const [rank, k] of picks) {
    const imageFile = images.get(k.case);
    if (!imageFile || !refs.has(k.case)) continue;
    const image = await readVolume(imageFile, { allow2D: true });
    const truth = await readLabelMap(refs.get(k.case)!, ctx.config.evaluate.pngSpacingMm);
    const labels: [string, Uint8Array][] = [['reference', mapReference(truth.data, ref.map).map((v) => (v === 5 ? 2 : v))]];
    for (const [name, dir] of evaluatedSources(ctx.runDir)) {
      const f = labelFilesOf(dir).get(k.case);
      if (f) labels.push([name, (await readLabelVolume(f)).data]);
    }
    const [, ny, nx] = image.shape;
    const panels = [{ rgba: overlayRgba(image.data, null, nx, ny), width: nx }, ...labels.map(([, l]) => ({ rgba: overlayRgba(image.data, l, nx, ny), width: nx }))];
    const file = `gallery/${rank}_${k.case}.png`;
    writeFileAtomicSync(join(reportDir(ctx.runDir), file), panelsToPng(panels, ny));
    items.push({ src: file, caption: `${rank}: ${k.case}, lesion Dice ${k.classes.lesion!.dice!.toFixed(3)} (${last[0]}): CT | ${labels.map(([n]) => n).join(' | ')}` });
  }
  return items;
}

/**
 * Gallery of predicted cases without voxel reference (real volumes): per case, its most-lesion axial slice and a
 * coronal cut through the lungs' bulk, each as CT | pseudo-labels | Unet-B.
 */
async function predictedGallery(ctx: StageContext): Promise<GalleryItem[]> {
  const items: GalleryItem[] = [];
  for (const c of runCases(ctx.runDir)) {
    const unetB = join(predictionsDir(ctx.runDir, 'unet-b'), c.id, 'labels.nii.gz');
    if (!c.image || !existsSync(unetB)) continue;
    const image = await readVolume(c.image, { allow2D: true });
    const labels: [string, LabelVolume][] = [];
    for (const [name, p] of [['pseudo-labels', join(pseudolabelLabelsDir(ctx.runDir), `${c.id}.nii.gz`)], ['Unet-B', unetB]]) if (existsSync(p)) labels.push([name, await readLabelVolume(p)]);
    const names = labels.map(([n]) => n).join(' | ');
    const [nz, ny, nx] = image.shape;
    const z = mostLesionSlice(labels[labels.length - 1][1]);
    const axial = image.data.subarray(z * ny * nx, (z + 1) * ny * nx);
    const axialFile = `gallery/${c.id}_axial_z${String(z).padStart(4, '0')}.png`;
    writeFileAtomicSync(join(reportDir(ctx.runDir), axialFile), panelsToPng([{ rgba: overlayRgba(axial, null, nx, ny), width: nx }, ...labels.map(([, l]) => ({ rgba: overlayRgba(axial, l.data.subarray(z * ny * nx, (z + 1) * ny * nx), nx, ny), width: nx }))], ny));
    items.push({ src: axialFile, caption: `${c.id} axial slice ${z} of ${nz} (most lesion in Unet-B): CT | ${names}` });
    if (nz < 2) continue;
    const y = lungRichestRow(labels[labels.length - 1][1].data, image.shape);
    const ct = coronalPlane(image.data, image, y);
    const coronalFile = `gallery/${c.id}_coronal_y${String(y).padStart(4, '0')}.png`;
    writeFileAtomicSync(join(reportDir(ctx.runDir), coronalFile), panelsToPng([{ rgba: overlayRgba(ct.values, null, ct.width, ct.height), width: ct.width }, ...labels.map(([, l]) => ({ rgba: overlayRgba(ct.values, coronalPlane(l.data, l, y).values, ct.width, ct.height), width: ct.width }))], ct.height));
    items.push({ src: coronalFile, caption: `${c.id} coronal row ${y} (superior up): CT | ${names}` });
  }
  return items;
}

/** The run report (DIR/report/index.html) with its overlay gallery. */
export function reportStage(stageNames: () => string[]): Stage {
  return {
    name: 'report',
    describe: 'write the HTML run report',
    inputs: () => [],
    run: async (ctx) => {
      const gallery = ctx.config.pipeline.reference
        ? await referenceGallery(ctx, ctx.config.pipeline.galleryBestWorst)
        : runCases(ctx.runDir, 'heldOut').length ? await renderGallery(ctx) : await predictedGallery(ctx);
      writeFileAtomicSync(join(reportDir(ctx.runDir), 'gallery.json'), JSON.stringify(gallery));
      writeRunReport({ runDir: ctx.runDir, stages: stageNames(), gallery });
      return { gallery: gallery.length };
    },
  };
}
