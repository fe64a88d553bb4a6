import { dirname, join } from 'node:path';
import { InputError, LABEL_NAMES, parseShard, readCohort, usableCases } from '@covseg/io';
import { runCluster } from '@covseg/pseudolabel';
import type { Command } from '../cli.js';
import { inRunFolder, withCommon } from '../cli.js';
import { loadCommandConfig } from '@covseg/pipeline/config';

export const clusterCommand: Command = {
  command: 'cluster',
  describe: 'fit mini-batch K-means on candidate voxels of a cohort → kmeans.json',
  builder: (y) =>
    withCommon(y)
      .option('cohort', { type: 'string', demandOption: true, describe: 'cohort.jsonl (from ingest) or a folder of cases' })
      .option('out', { type: 'string', demandOption: true, describe: 'kmeans.json to write' })
      .option('lung-masks', { type: 'string', describe: 'folder of lung masks <case>.nii.gz (from covseg lungmask); without it or --lung-from-label each mask is computed as covseg lungmask does' })
      .option('lung-from-label', { type: 'boolean', default: false, describe: 'take the lung mask from each case\'s reference label (> 0), e.g. phantoms' })
      .option('patients', { type: 'number', describe: 'cases pooled for the fit (config cluster.patients)' })
      .option('seed', { type: 'number', describe: 'seed (config cluster.seed)' })
      .option('shard', { type: 'string', describe: 'k/n: only sample this worker\'s share of the chosen cases into --samples (no fit); then run once with --merge' })
      .option('merge', { type: 'boolean', default: false, describe: 'fit on the samples the --shard workers left in --samples (same model as one run)' })
      .option('samples', { type: 'string', describe: 'folder of per-case samples for --shard / --merge (default: <out folder>/samples)' }),
  // --shard workers and the --merge run share the samples folder: it is their run folder
  handler: (a) =>
    a.shard || a.merge ? inRunFolder(a.samples ?? join(dirname(a.out), 'samples'), 'cluster', a.shard, () => cluster(a)) : cluster(a),
};

async function cluster(a: any): Promise<void> {
  if (a.shard && a.merge) throw new InputError('--shard and --merge exclude each other: run the --shard k/n workers first, then one --merge');
  const { config } = loadCommandConfig('cluster', a);
  const cases = usableCases(readCohort(a.cohort)).map((c) => ({ id: c.id, image: c.image, label: c.label }));
  const samplesDir = a.samples ?? join(dirname(a.out), 'samples');
  const shard = a.shard ? parseShard(a.shard) : undefined;
  const r = await runCluster({ cases, out: a.out, config, lungMasks: { dir: a.lungMasks, fromLabel: a.lungFromLabel }, shard, merge: a.merge, samplesDir, quiet: a.quiet });
  if (r.kind === 'sampled') {
    console.log(`cluster: shard ${shard!.k}/${shard!.n}: sampled ${r.cases} case(s) → ${samplesDir}; run 'covseg cluster --merge' when every shard is done`);
    return;
  }
  const { model } = r;
  const cls = model.mapping.map((m) => LABEL_NAMES[m]).join(', ');
  console.log(`cluster: ${model.sampleSize} voxels from ${Object.keys(model.samplePerCase).length} cases, ${model.steps} steps (${model.stopReason}), inertia/voxel ${model.inertiaPerVoxel.toFixed(4)}, clusters → ${cls} → ${a.out}`);
}
