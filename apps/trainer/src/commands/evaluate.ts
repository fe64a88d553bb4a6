import { basename } from 'node:path';
import { evaluateLabels, evaluationMarkdown, evaluationTable, resolveMap, writeSummary } from '@covseg/unet';
import type { Command } from '../cli.js';
import { withCommon } from '../cli.js';
import { configFromArgs } from '../config.js';

export const evaluateCommand: Command = {
  command: 'evaluate',
  describe: 'Dice, IoU and volume error per class against reference labels',
  builder: (y) =>
    withCommon(y)
      .option('pred', { type: 'string', demandOption: true, describe: 'predicted label map (NIfTI/NRRD/MHA/PNG) or folder of them (cases pair by file stem or folder name)' })
      .option('truth', { type: 'string', demandOption: true, describe: 'reference label map or folder' })
      .option('map', { type: 'string', describe: 'reference value map: a configured name (infection, semiseg-multiclass, semiseg-binary) or VALUE=CLASS,… e.g. 1=ggo,2=consolidation' })
      .option('json', { type: 'boolean', describe: 'print the full evaluation (per case and aggregate) as JSON' })
      .option('markdown', { type: 'boolean', describe: 'print the mean scores and the pooled confusion matrix (reference × predicted class, row %) as Markdown tables' })
      .conflicts('json', 'markdown')
      .option('out', { type: 'string', describe: 'summary.json to add this evaluation to (other entries kept)' })
      .option('name', { type: 'string', describe: 'entry name in summary.json (default: the --pred folder or file name)' }),
  handler: async (a) => {
    const cfg = configFromArgs(a).config.evaluate;
    const e = await evaluateLabels(a.pred, a.truth, cfg, resolveMap(a.map, cfg));
    const name = a.name ?? basename(a.pred).replace(/\.(nii\.gz|nii|nrrd|mha|mhd|png)$/i, '');
    if (a.out) writeSummary(a.out, name, e);
    process.stdout.write(a.json ? JSON.stringify(e, null, 2) + '\n' : a.markdown ? evaluationMarkdown(e, name) : evaluationTable(e));
    if (e.unmatched.pred.length || e.unmatched.truth.length) process.stderr.write(`evaluate: unpaired: ${e.unmatched.pred.length} prediction(s), ${e.unmatched.truth.length} reference(s)\n`);
  },
};
