import { InputError, itemsOfShard, parseShard, readCohort, readCorrectedSlices, usableCases, exitCodeFor } from '@covseg/io';
import { BACKEND_NAMES, type BackendName } from '@covseg/tfjs-backend';
import { runRelabel } from '@covseg/inference';
import type { Command } from '../cli.js';
import { inRunFolder, withCommon } from '../cli.js';
import { loadCommandConfig } from '@covseg/pipeline/config';

export const relabelCommand: Command = {
  command: 'relabel',
  describe: 'segment a cohort with a trained model and draw a new shard store',
  builder: (y) =>
    withCommon(y)
      .option('cohort', { type: 'string', demandOption: true, describe: 'cohort.jsonl (from ingest) or a folder of cases' })
      .option('model', { type: 'string', demandOption: true, describe: 'model folder (Unet-A) or .onnx file' })
      .option('out', { type: 'string', demandOption: true, describe: 'output: labels/<case>.nii.gz and shards/' })
      .option('slices', { type: 'number', describe: 'slices to draw (config relabel.slices)' })
      .option('lesion-fraction', { type: 'number', describe: 'fraction of drawn slices with lesion (config relabel.lesionFraction)' })
      .option('min-confidence', { type: 'number', describe: 'drop slices whose mean max-probability is below this (config relabel.minConfidence)' })
      .option('shard', { type: 'string', describe: 'k/n: segment only this worker\'s cases; run once more without --shard to draw' })
      .option('corrected', { type: 'string', describe: 'Unet-A\'s shard store: its corrected slices join the new store as they are (config relabel.keepCorrected)' })
      .option('backend', { choices: BACKEND_NAMES, default: 'auto' as BackendName, describe: 'tfjs backend for a model folder' }),
  handler: (a) =>
    inRunFolder(a.out, 'relabel', a.shard, async () => {
      const { predict, relabel, pipeline, export: exportCfg } = loadCommandConfig('relabel', a).config;
      if (a.corrected !== undefined && !relabel.keepCorrected) throw new InputError('--corrected needs relabel.keepCorrected=true');
      const corrected = a.corrected !== undefined ? readCorrectedSlices(a.corrected) : [];
      const shard = parseShard(a.shard);
      const cases = itemsOfShard(usableCases(readCohort(a.cohort)), shard).map((c) => ({ id: c.id, image: c.image }));
      const r = await runRelabel({
        cases, model: a.model, out: a.out, config: { predict, relabel }, backend: a.backend, threads: pipeline.threads, runtime: exportCfg.runtime,
        draw: shard.n === 1, corrected, quiet: a.quiet,
        onError: (id, error) => process.stderr.write(`relabel: skipped ${id}: ${error}\n`),
      });
      console.log(`relabel: ${r.segmented.length} segmented, ${r.reused.length} reused, ${r.failed.length} failed`);
      if (r.selection) console.log(`relabel: drew ${r.selection.chosen.length} slices (lesion ${r.selection.lesion.drawn}/${r.selection.lesion.wanted}, healthy ${r.selection.healthy.drawn}/${r.selection.healthy.wanted}, dropped ${r.selection.droppedLowConfidence} low-confidence)${corrected.length ? ` + ${corrected.length} corrected slice(s) kept as they are` : ''} → ${a.out}/shards`);
      else if (r.alreadyDrawn) console.log(`relabel: ${a.out}/shards already complete; nothing redrawn`);
      else console.log(`relabel: shard ${shard.k}/${shard.n} done; run without --shard to draw the slices`);
      if (r.failed.length) process.exitCode = exitCodeFor(r.failed.length, cases.length);
    }),
};
