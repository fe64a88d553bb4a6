import { activateBackend, BACKEND_NAMES, trainUnet, writeAugmentPreview, type BackendName } from '@covseg/unet';
import type { Command } from '../cli.js';
import { withCommon } from '../cli.js';
import { configFromArgs } from '../config.js';

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
  handler: async (a) => {
    const { config } = configFromArgs(a);
    const sections = { unet: config.unet, augment: config.augment, train: config.train };
    if (a.preview !== undefined) {
      const paths = writeAugmentPreview(a.shards, `${a.out}/preview`, a.preview, sections);
      console.log(`wrote ${paths.length} augmented pairs to ${a.out}/preview/`);
      return;
    }
    const backend = await activateBackend(a.backend, (l) => process.stderr.write(l + '\n'), config.pipeline.threads);
    const ac = new AbortController();
    const onSigint = () => {
      if (ac.signal.aborted) process.exit(130); // second Ctrl-C: leave now
      process.stderr.write('\ntrain: interrupt received, saving a checkpoint after this step (Ctrl-C again to quit at once)\n');
      ac.abort();
    };
    process.on('SIGINT', onSigint);
    try {
      const r = await trainUnet({
        shards: a.shards, out: a.out, name: a.model, sections, resume: a.resume, signal: ac.signal, backend,
        progress: !a.quiet, log: (l) => process.stderr.write(l + '\n'),
      });
      if (r.status === 'interrupted') {
        process.stderr.write(`train: stopped; checkpoint saved in ${a.out}/checkpoints — continue with --resume\n`);
        process.exitCode = 130;
        return;
      }
      console.log(`${a.model}: ${r.status} after ${r.epochs} epochs; best epoch ${r.bestEpoch} (validation lesion Dice ${r.bestScore?.toFixed(3) ?? '-'}) → ${a.out}`);
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};
