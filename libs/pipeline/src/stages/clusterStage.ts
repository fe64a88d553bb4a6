import { runCluster } from '@covseg/pseudolabel';
import type { Stage } from '../stage.js';
import { casesWithLungMask } from './lungmaskStage.js';
import { lungMaskDir, kmeansFile } from '../runLayout.js';

/** Mini-batch K-means on candidate voxels of N training patients (stratified per patient) → kmeans.json. */
export const clusterStage: Stage = {
  name: 'cluster',
  describe: 'fit mini-batch K-means (3 clusters) on candidate lung voxels',
  inputs: (ctx) => [lungMaskDir(ctx.runDir)],
  run: async (ctx) => {
    const cases = casesWithLungMask(ctx.runDir, 'train').map((c) => ({ id: c.id, image: c.image! }));
    const r = await runCluster({ cases, out: kmeansFile(ctx.runDir), config: ctx.config, lungMasks: { dir: lungMaskDir(ctx.runDir) }, quiet: ctx.quiet });
    if (r.kind !== 'fitted') throw new Error('cluster: no model fitted');
    const { model } = r;
    return { voxels: model.sampleSize, cases: Object.keys(model.samplePerCase).length, steps: model.steps, stopReason: model.stopReason, inertiaPerVoxel: model.inertiaPerVoxel, mapping: model.mapping };
  },
};
