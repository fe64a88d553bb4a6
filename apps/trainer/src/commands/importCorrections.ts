import { importCorrections } from '@covseg/pseudolabel';
import type { Command } from '../cli.js';
import { inRunFolder, withCommon } from '../cli.js';
import { loadCommandConfig } from '@covseg/pipeline/config';

export const importCorrectionsCommand: Command = {
  command: 'import-corrections',
  describe: 'replace shard slices\' labels by corrected ones (PNG label maps named by slice key, the correction page\'s zip of them, or <case>.nii.gz) and flag them corrected',
  builder: (y) =>
    withCommon(y)
      .option('shards', { type: 'string', demandOption: true, describe: 'shard store folder' })
      .option('from', { type: 'string', demandOption: true, describe: 'a corrected .png / .zip / .nii.gz file, or a folder of them' }),
  handler: (a) =>
    inRunFolder(a.shards, 'import-corrections', undefined, async () => {
      const { review } = loadCommandConfig('import-corrections', a).config;
      const r = await importCorrections(a.shards, a.from, { colourTolerance: review.colourTolerance });
      for (const c of r.replaced) console.log(`import-corrections: ${c.key}: ${c.changedPixels} px changed (from ${c.fromClass.join('/')} → to ${c.toClass.join('/')} per label 0–4)`);
      console.log(`import-corrections: ${r.replaced.length} slice(s) replaced, ${r.unchanged.length} already up to date (all flagged corrected); log in ${a.shards}/corrections.json`);
    }),
};
