import { BACKEND_NAMES, type BackendName } from '@covseg/tfjs-backend';
import { runTraining, writeAugmentPreview } from '@covseg/unet';
import type { Command } from '../cli.js';
import { inRunFolder, withCommon } from '../cli.js';
import { loadCommandConfig } from '@covseg/pipeline/config';

export const trainCommand: Command = {
  command: 'train',
  describe: 'train Unet-A or Unet-B on a shard store',
  builder: (y) =>
    withCommon(y)
      .option('model', { choices: ['unet-a', 'unet-b'] as const, demandOption: true, describe: 'which model (recorded in unet.json)' })
      .option('shards', { type: 'string', demandOption: true, describe: 'slice shard store (pseudolabel/shards or relabel/shards)' })
      .option('out', { type: 'string', demandOption: true, describe: 'model folder: model.json, weights.bin, unet.json, checkpoints/, metrics.jsonl, curves.svg, best/' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue from the newest checkpoint in --out' })
      .option('backend', { choices: BACKEND_NAMES, default: 'auto' as BackendName, describe: 'tfjs backend (auto = fastest that loads)' })
      .option('preview', { type: 'number', describe: 'write N augmented training pairs as PNG to --out/preview/ and exit' }),
  handler: (a) =>
    inRunFolder(a.out, 'train', undefined, async () => {
      const { config } = loadCommandConfig('train', a);
      const sections = { unet: config.unet, augment: config.augment, train: config.train };
      if (a.preview !== undefined) {
        const paths = writeAugmentPreview(a.shards, `${a.out}/preview`, a.preview, sections);
        console.log(`wrote ${paths.length} augmented pairs to ${a.out}/preview/`);
        return;
      }
      const r = await runTraining({
        shards: a.shards, out: a.out, name: a.model, sections, backend: a.backend, threads: config.pipeline.threads, resume: a.resume, quiet: a.quiet,
        log: (l) => process.stderr.write(l + '\n'), resumeHint: `checkpoint saved in ${a.out}/checkpoints; continue with --resume`,
      });
      console.log(`${a.model}: ${r.status} after ${r.epochs} epochs; best epoch ${r.bestEpoch} (validation lesion Dice ${r.bestScore?.toFixed(3) ?? '-'}) → ${a.out}`);
    }),
};
