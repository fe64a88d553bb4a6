import { readCohort, usableCases } from '@covseg/io';
import { candidateFeatureExtractor, clusterCohort, lungMaskProvider, writeKMeansModel } from '@covseg/pseudolabel';
import type { Command } from '../cli.js';
import { withCommon } from '../cli.js';
import { configFromArgs } from '../config.js';

export const clusterCommand: Command = {
  command: 'cluster',
  describe: 'fit mini-batch K-means on candidate voxels of a cohort → kmeans.json',
  builder: (y) =>
    withCommon(y)
      .option('cohort', { type: 'string', demandOption: true, describe: 'cohort.jsonl (from ingest) or a folder of cases' })
      .option('out', { type: 'string', demandOption: true, describe: 'kmeans.json to write' })
      .option('lung-masks', { type: 'string', describe: 'folder of lung masks <case>.nii.gz (from covseg lungmask)' })
      .option('lung-from-label', { type: 'boolean', default: false, describe: 'take the lung mask from each case\'s reference label (> 0), e.g. phantoms' })
      .option('patients', { type: 'number', describe: 'cases pooled for the fit (config cluster.patients)' })
      .option('seed', { type: 'number', describe: 'seed (config cluster.seed)' }),
  handler: async (a) => {
    const sets = [...(a.set ?? [])];
    if (a.patients !== undefined) sets.push(`cluster.patients=${a.patients}`);
    if (a.seed !== undefined) sets.push(`cluster.seed=${a.seed}`);
    const cfg = configFromArgs({ config: a.config, set: sets }).config;
    const cases = usableCases(readCohort(a.cohort)).map((c) => ({ id: c.id, image: c.image, label: c.label }));
    const extract = candidateFeatureExtractor(cfg.features, lungMaskProvider({ dir: a.lungMasks, fromLabel: a.lungFromLabel }));
    const model = await clusterCohort(cases, cfg.cluster, { extract, quiet: a.quiet });
    writeKMeansModel(a.out, model);
    const cls = model.mapping.map((m) => ['', '', 'ggo', 'consolidation', 'vessels'][m]).join(', ');
    console.log(`cluster: ${model.sampleSize} voxels from ${Object.keys(model.samplePerCase).length} cases, ${model.steps} steps (${model.stopReason}), inertia/voxel ${model.inertiaPerVoxel.toFixed(4)}, clusters → ${cls} → ${a.out}`);
  },
};
