import { BACKEND_NAMES, type BackendName } from '@covseg/tfjs-backend';
import { runTraining, writeAugmentPreview } from '@covseg/unet';
import type { Command } from '../cli.js';
import { inRunFolder, withCommon } from '../cli.js';
import { loadCommandConfig } from '@covseg/pipeline/config';
import { UsageError } from '@covseg/pipeline/cli';

/** --estimate's defaults: the core count it extrapolates to (a common many-core server) and the steps it times. */
const DEFAULT_ESTIMATE_CORES = 32;
const DEFAULT_ESTIMATE_STEPS = 3;
const ESTIMATE_ONLY = ['estimate-steps', 'cohort-slices', 'cores'] as const;
const positiveInteger = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 1);

export const trainCommand: Command = {
  command: 'train',
  describe: 'train Unet-A or Unet-B on a shard store (--estimate: price the config\'s whole training on this machine)',
  builder: (y) =>
    withCommon(y)
      .option('model', { choices: ['unet-a', 'unet-b'] as const, describe: 'which model (recorded in unet.json)' })
      .option('shards', { type: 'string', describe: 'slice shard store (pseudolabel/shards or relabel/shards)' })
      .option('out', { type: 'string', describe: 'model folder: model.json, weights.bin, unet.json, checkpoints/, metrics.jsonl, curves.svg, best/' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue from the newest checkpoint in --out' })
      .option('backend', { choices: BACKEND_NAMES, default: 'auto' as BackendName, describe: 'tfjs backend (auto = fastest that loads)' })
      .option('preview', { type: 'number', describe: 'write N augmented training pairs as PNG to --out/preview/ and exit' })
      .option('estimate', { type: 'boolean', default: false, describe: "time a few real steps of the config's U-Net here (1 thread and pipeline.threads) and print the wall time of its Unet-A, relabelling and Unet-B; trains nothing" })
      .option('estimate-steps', { type: 'number', describe: `with --estimate: steps timed per thread count (median, after one warm-up; default ${DEFAULT_ESTIMATE_STEPS})` })
      .option('cohort-slices', { type: 'number', describe: 'with --estimate: slices Unet-A segments to relabel (default relabel.slices, a lower bound)' })
      .option('cores', { type: 'number', describe: `with --estimate: core count the last column extrapolates to (Amdahl, from the 1-thread vs n-thread times; default ${DEFAULT_ESTIMATE_CORES})` })
      .check((a) => {
        if (a.estimate) {
          const clash = ['model', 'shards', 'out', 'preview'].filter((k) => a[k] !== undefined).concat(a.resume ? ['resume'] : []);
          if (clash.length) throw new UsageError(`--estimate trains nothing; it takes no ${clash.map((k) => `--${k}`).join(', ')}`);
          const bad = ESTIMATE_ONLY.filter((k) => !positiveInteger(a[k]));
          if (bad.length) throw new UsageError(`${bad.map((k) => `--${k}`).join(', ')} must be an integer ≥ 1`);
          return true;
        }
        const missing = ['model', 'shards', 'out'].filter((k) => a[k] === undefined);
        if (missing.length) throw new UsageError(`missing required argument(s): ${missing.map((k) => `--${k}`).join(', ')} (or --estimate)`);
        const stray = ESTIMATE_ONLY.filter((k) => a[k] !== undefined);
        if (stray.length) throw new UsageError(`${stray.map((k) => `--${k}`).join(', ')} go(es) with --estimate`);
        return true;
      }),
  handler: async (a) => {
    if (a.estimate) {
      const { estimateTraining, formatTrainingEstimate } = await import('@covseg/pipeline');
      const { config } = loadCommandConfig('train', a);
      const e = await estimateTraining(config, { backend: a.backend, steps: a['estimate-steps'] ?? DEFAULT_ESTIMATE_STEPS, cohortSlices: a['cohort-slices'] ?? null, cores: a.cores ?? DEFAULT_ESTIMATE_CORES, log: (l) => process.stderr.write(l + '\n') });
      process.stdout.write(formatTrainingEstimate(e));
      return;
    }
    return inRunFolder(a.out, 'train', undefined, async () => {
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
    });
  },
};
