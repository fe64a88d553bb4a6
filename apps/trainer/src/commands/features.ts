import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { aboutFile, geometryOf, readLabelVolume, readVolume, startProgress, writeFloatVolume, writeJsonAtomic } from '@covseg/io';
import { channelVolume, computeFeatures, importLungMask, lungMask } from '@covseg/features';
import type { Command } from '../cli.js';
import { inRunFolder, withCommon } from '../cli.js';
import { loadCommandConfig } from '@covseg/pipeline/config';
import { printInputNotes } from './inputNotes.js';

export const featuresCommand: Command = {
  command: 'features <input>',
  describe: 'the 8 voxel features (HU, Gaussian, Hessian, Frangi) as NIfTI channels',
  builder: (y) =>
    withCommon(y)
      .positional('input', { type: 'string', describe: 'CT: DICOM folder, .nii/.nii.gz, .nrrd, .mha/.mhd' })
      .option('series', { type: 'string', describe: 'SeriesInstanceUID to read when a DICOM folder holds several (config ingest.series)' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder: <channel>.nii.gz (float32) + features.json' })
      .option('lung-mask', { type: 'string', describe: 'lung mask on the CT grid (non-zero = lung); default: computed (covseg lungmask)' })
      .option('region', { choices: ['candidates', 'lung', 'all'] as const, default: 'candidates' as const, describe: 'voxels that get features (others are 0): lung ∧ HU > candidateMinHu, the lung, or every voxel' }),
  handler: (a) =>
    inRunFolder(a.out, 'features', undefined, async () => {
      const { config } = loadCommandConfig('features', a);
      const t0 = performance.now();
      const series = a.series ?? config.ingest.series ?? undefined;
      const image = await readVolume(a.input, { series });
      printInputNotes(`covseg features`, a.input, series);
      const lung = a.lungMask ? importLungMask(await readLabelVolume(a.lungMask), image, a.lungMask) : aboutFile(a.input, () => lungMask(image, config.lungmask));
      let progress: ReturnType<typeof startProgress> | undefined;
      const set = await aboutFile(a.input, () => computeFeatures(image, lung.data, config.features, {
        region: a.region,
        onBlock: (done, total) => {
          progress ??= startProgress('features', total, { quiet: a.quiet });
          progress.tick();
          if (done === total) progress.stop();
        },
      }));
      mkdirSync(a.out, { recursive: true });
      // one full-size float32 channel in memory at a time
      for (let c = 0; c < set.names.length; c++) {
        await writeFloatVolume(join(a.out, `${set.names[c]}.nii.gz`), { ...geometryOf(image), data: channelVolume(set, c, image.data.length) });
      }
      writeJsonAtomic(join(a.out, 'features.json'), {
        channels: set.names,
        files: set.names.map((n) => `${n}.nii.gz`),
        region: a.region,
        voxels: set.indices.length,
        outsideValue: 0,
        lungMask: a.lungMask ? 'imported' : 'computed',
        params: set.params,
        versions: { covseg: process.env.npm_package_version ?? null, node: process.version, reference: 'scikit-image 0.19.3 (gaussian, hessian_matrix, hessian_matrix_eigvals, frangi)' },
        seconds: (performance.now() - t0) / 1000,
      });
      console.log(`features: ${set.indices.length} voxels × ${set.names.length} channels (${set.names.join(', ')}) in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${a.out}`);
    }),
};
