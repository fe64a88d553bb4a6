import { ingestCohort, exitCodeFor } from '@covseg/io';
import type { Command } from '../cli.js';
import { inRunFolder, withCommon, withPictureFlags } from '../cli.js';
import { loadCommandConfig } from '@covseg/pipeline/config';

export const ingestCommand: Command = {
  command: 'ingest <inputs..>',
  describe: 'read volumes (or, with --2d, single slices and PNG/JPG pictures), validate them and write cohort.jsonl',
  builder: (y) =>
    withPictureFlags(withCommon(y))
      .positional('inputs', { type: 'string', array: true, describe: 'DICOM folders, .nii/.nii.gz/.nrrd/.mha files, or folders of cases' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder (cohort.jsonl, volumes/)' })
      .option('series', { type: 'string', describe: 'SeriesInstanceUID to read when a folder holds several' }),
  handler: (a) =>
    inRunFolder(a.out, 'ingest', undefined, async () => {
      const { config } = loadCommandConfig('ingest', a);
      const cases = await ingestCohort(a.inputs, a.out, { ...config.ingest, series: a.series ?? config.ingest.series ?? undefined, quiet: a.quiet });
      const bad = cases.filter((c) => c.status === 'error');
      for (const c of bad) process.stderr.write(`covseg: ${c.id}: ${c.error}\n`);
      for (const c of cases) if (c.window && c.window.kind !== 'hu') console.log(`${c.id}: window ${c.window.kind} [${c.window.low}, ${c.window.high}] HU${'sdLow' in c.window ? ` ± [${c.window.sdLow}, ${c.window.sdHigh}]` : ''}`);
      console.log(`${cases.length - bad.length}/${cases.length} cases ok → ${a.out}/cohort.jsonl`);
      if (!cases.length) throw new Error(`no case found in ${a.inputs.join(', ')}`);
      // every failed case has its line above: no summary line after them; some usable = partial failure (3)
      if (bad.length) process.exitCode = exitCodeFor(bad.length, cases.length);
    }),
};
