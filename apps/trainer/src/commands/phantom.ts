import { phantomConfigSchema, writePhantomCohort } from '@covseg/phantom';
import type { Command } from '../cli.js';
import { inRunFolder, withCommon } from '../cli.js';
import { loadCommandConfig } from '@covseg/pipeline/config';

const triple = (s: string | undefined, name: string): [number, number, number] | undefined => {
  if (s === undefined) return undefined;
  const v = s.split(',').map(Number);
  if (v.length !== 3 || v.some((x) => !Number.isFinite(x) || x <= 0)) throw new Error(`--${name} expects three positive numbers Z,Y,X, got '${s}'`);
  return v as [number, number, number];
};

export const phantomCommand: Command = {
  command: 'phantom',
  describe: 'write a synthetic chest CT cohort with exact labels',
  builder: (y) =>
    withCommon(y)
      .option('out', { type: 'string', demandOption: true, describe: 'output folder: <out>/<case>/image.nii.gz + label.nii.gz' })
      .option('cases', { type: 'number', demandOption: true, describe: 'number of cases' })
      .option('seed', { type: 'string', default: '1', describe: 'random seed (same seed → identical bytes)' })
      .option('shape', { type: 'string', describe: 'volume shape Z,Y,X in voxels' })
      .option('spacing', { type: 'string', describe: 'fixed spacing z,y,x in mm (default: sampled per case)' }),
  handler: (a) =>
    inRunFolder(a.out, 'phantom', undefined, async () => {
      const { config } = loadCommandConfig('phantom', a);
      const cfg = phantomConfigSchema.parse({ ...config.phantom, shape: triple(a.shape, 'shape') ?? config.phantom.shape, spacing: triple(a.spacing, 'spacing') ?? config.phantom.spacing });
      const cases = await writePhantomCohort(a.out, cfg, { cases: a.cases, seed: a.seed, progress: { quiet: a.quiet } });
      const lesional = cases.filter((c) => !c.info.healthy).length;
      console.log(`wrote ${cases.length} phantom cases (${lesional} with lesions, ${cases.length - lesional} healthy) to ${a.out}`);
    }),
};
