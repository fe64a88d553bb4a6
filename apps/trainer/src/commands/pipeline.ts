import { runPipeline, pipelineStages } from '@covseg/pipeline';
import { flagOverrides } from '@covseg/pipeline/config';
import type { Command } from '../cli.js';
import { withCommon, withPictureFlags } from '../cli.js';

export const pipelineCommand: Command = {
  command: 'pipeline',
  describe: 'run every stage in order, resumable',
  builder: (y) =>
    withPictureFlags(withCommon(y))
      .option('out', { type: 'string', demandOption: true, describe: 'run folder (config.json, <stage>/done.json, report/index.html)' })
      .option('from', { type: 'string', choices: pipelineStages.map((s) => s.name), describe: 'rerun from this stage on' })
      .option('until', { type: 'string', choices: pipelineStages.map((s) => s.name), describe: 'stop after this stage' }),
  handler: async (a) => {
    const r = await runPipeline({ configFile: a.config, sets: [...flagOverrides('pipeline', a), ...(a.set ?? [])], runDir: a.out, from: a.from, until: a.until, quiet: a.quiet });
    console.log(`pipeline ${r.results.map((s) => `${s.name}:${s.status}`).join(' ')}\nreport: ${r.report}`);
  },
};
