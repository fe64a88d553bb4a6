import { join } from 'node:path';
import { writeReviewPack } from '@covseg/pseudolabel';
import type { Command } from '../cli.js';
import { inRunFolder, withCommon } from '../cli.js';
import { loadCommandConfig } from '@covseg/pipeline/config';

export const reviewCommand: Command = {
  command: 'review',
  describe: 'overlay PNGs + index.html of random shard slices, editable label maps, and the correction page correct.html',
  builder: (y) =>
    withCommon(y)
      .option('shards', { type: 'string', demandOption: true, describe: 'shard store folder (pseudolabel/shards)' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder: <slice key>.png, labels/<slice key>.png, index.html, correct.html + correct/<slice key>.js' })
      .option('count', { type: 'number', describe: 'slices to show (config review.count)' })
      .option('seed', { type: 'number', describe: 'seed of the draw (config review.seed)' }),
  handler: (a) =>
    inRunFolder(a.out, 'review', undefined, async () => {
      const { review } = loadCommandConfig('review', a).config;
      const entries = writeReviewPack(a.shards, a.out, review);
      console.log(`review: ${entries.length} slices → ${join(a.out, 'index.html')}; correct them in ${join(a.out, 'correct.html')}`);
    }),
};
