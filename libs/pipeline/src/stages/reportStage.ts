import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { overlayRgba, panelsToPng, readLabelVolume, readVolume, writeFileAtomicSync, type LabelVolume } from '@covseg/io';
import type { Stage, StageContext } from '../stage.js';
import { runCases } from './ingestStage.js';
import { predictionsDir } from './predictStage.js';
import { writeRunReport, type GalleryItem } from '../report/runReport.js';

/** The slice with most lesion (2 ∪ 3) voxels in a label volume (the middle slice when none). */
export function mostLesionSlice(l: LabelVolume): number {
  const [nz, ny, nx] = l.shape;
  let best = Math.floor(nz / 2), bestCount = 0;
  for (let z = 0; z < nz; z++) {
    let c = 0;
    for (let i = z * ny * nx; i < (z + 1) * ny * nx; i++) if (l.data[i] === 2 || l.data[i] === 3) c++;
    if (c > bestCount) [best, bestCount] = [z, c];
  }
  return best;
}

/** Gallery: per held-out case, its most-lesion slice as CT | truth | pseudo-labels | Unet-A | Unet-B panels. */
async function renderGallery(ctx: StageContext): Promise<GalleryItem[]> {
  const items: GalleryItem[] = [];
  for (const c of runCases(ctx.runDir, 'heldOut')) {
    const image = await readVolume(c.image!);
    const sources: [string, string | undefined][] = [
      ['truth', c.label],
      ['pseudo-labels', join(ctx.runDir, 'pseudolabel', 'labels', `${c.id}.nii.gz`)],
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
    writeFileAtomicSync(join(ctx.runDir, 'report', file), panelsToPng(panels, ny));
    items.push({ src: file, caption: `${c.id} slice ${z}: CT | ${labels.map(([n]) => n).join(' | ')}` });
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
      const gallery = await renderGallery(ctx);
      writeFileAtomicSync(join(ctx.runDir, 'report', 'gallery.json'), JSON.stringify(gallery));
      writeRunReport({ runDir: ctx.runDir, stages: stageNames(), gallery });
      return { gallery: gallery.length };
    },
  };
}
