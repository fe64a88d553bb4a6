import { checksumPath, exitCodeFor, itemsOfShard, parseShard, readCohort, usableCases } from '@covseg/io';
import { runPseudolabel } from '@covseg/pseudolabel';
import type { Command } from '../cli.js';
import { inRunFolder, withCommon } from '../cli.js';
import { loadCommandConfig } from '@covseg/pipeline/config';

export const pseudolabelCommand: Command = {
  command: 'pseudolabel',
  describe: 'label every case with kmeans.json + cleaning → labels/<case>.nii.gz, then draw slices into shards/',
  builder: (y) =>
    withCommon(y)
      .option('cohort', { type: 'string', demandOption: true, describe: 'cohort.jsonl (from ingest) or a folder of cases' })
      .option('kmeans', { type: 'string', demandOption: true, describe: 'kmeans.json from covseg cluster' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder: labels/ and shards/' })
      .option('lung-masks', { type: 'string', describe: 'folder of lung masks <case>.nii.gz (from covseg lungmask); without it or --lung-from-label each mask is computed as covseg lungmask does' })
      .option('lung-from-label', { type: 'boolean', default: false, describe: 'take the lung mask from each case\'s reference label (> 0), e.g. phantoms' })
      .option('slices', { type: 'number', describe: 'slices drawn into the shard store (config pseudolabel.slices)' })
      .option('shard', { type: 'string', describe: 'k/n: label only this worker\'s cases; run once more without --shard to draw the slices' }),
  handler: (a) =>
    inRunFolder(a.out, 'pseudolabel', a.shard, async () => {
      const { config } = loadCommandConfig('pseudolabel', a);
      const shard = parseShard(a.shard);
      const cases = itemsOfShard(usableCases(readCohort(a.cohort)), shard).map((c) => ({ id: c.id, image: c.image, label: c.label }));
      const r = await runPseudolabel({
        cases, kmeans: a.kmeans, out: a.out, config, lungMasks: { dir: a.lungMasks, fromLabel: a.lungFromLabel },
        draw: shard.n === 1, meta: { kmeansSha256: checksumPath(a.kmeans) }, quiet: a.quiet,
        onError: (id, error) => process.stderr.write(`pseudolabel: skipped ${id}: ${error}\n`),
      });
      console.log(`pseudolabel: ${r.labelled.length} labelled, ${r.reused.length} reused, ${r.failed.length} failed`);
      if (r.shards) console.log(`pseudolabel: drew ${r.shards.slices.length} slices into ${r.shards.shards.length} shard file(s) → ${a.out}/shards`);
      else if (r.alreadyDrawn) console.log(`pseudolabel: ${a.out}/shards already complete; nothing redrawn`);
      else console.log(`pseudolabel: shard ${shard.k}/${shard.n} done; run without --shard to draw the slices`);
      if (r.failed.length) process.exitCode = exitCodeFor(r.failed.length, cases.length);
    }),
};
