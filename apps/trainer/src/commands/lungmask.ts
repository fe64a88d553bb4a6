import { readVolume } from '@covseg/io';
import { writeLungMask } from '@covseg/features';
import type { Command } from '../cli.js';
import { withCommon } from '../cli.js';
import { loadCommandConfig } from '@covseg/pipeline/config';
import { printInputNotes } from './inputNotes.js';

export const lungmaskCommand: Command = {
  command: 'lungmask <input>',
  describe: 'classical 3D lung mask (or import an external one)',
  builder: (y) =>
    withCommon(y)
      .positional('input', { type: 'string', describe: 'CT: DICOM folder, .nii/.nii.gz, .nrrd, .mha/.mhd' })
      .option('series', { type: 'string', describe: 'SeriesInstanceUID to read when a DICOM folder holds several (config ingest.series)' })
      .option('out', { type: 'string', demandOption: true, describe: 'output mask FILE.nii.gz (uint8: 1 = lung)' })
      .option('import', { type: 'string', describe: "external lung mask on the CT grid (any non-zero = lung; lungmask's 1/2 accepted)" }),
  handler: async (a) => {
    const { config } = loadCommandConfig('lungmask', a);
    const series = a.series ?? config.ingest.series ?? undefined;
    const image = await readVolume(a.input, { series });
    printInputNotes(`covseg lungmask`, a.input, series);
    const t0 = performance.now();
    const { mask, info } = await writeLungMask(image, a.out, config.lungmask, { input: a.input, importFrom: a.import });
    const voxelMl = (image.spacing[0] * image.spacing[1] * image.spacing[2]) / 1000;
    const lungMl = mask.data.reduce((s, v) => s + v, 0) * voxelMl;
    const how = a.import ? 'imported' : `${info.lungs} lung(s), trachea ${info.tracheaFound ? `removed (${info.airwayVolumeMl!.toFixed(1)} ml)` : 'not found'}`;
    console.log(`lung mask: ${(lungMl / 1000).toFixed(3)} L, ${how}, ${((performance.now() - t0) / 1000).toFixed(1)} s → ${a.out}`);
  },
};
