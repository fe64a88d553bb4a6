import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError, writeJsonAtomic } from '@covseg/io';
import { evaluateLabels, evaluateSliceCase, evaluationMarkdown, evaluationTable, resolveMap, sliceEvaluationTable, writeSummary } from '@covseg/evaluate';
import type { Command } from '../cli.js';
import { withCommon } from '../cli.js';
import { loadCommandConfig } from '@covseg/pipeline/config';

export const evaluateCommand: Command = {
  command: 'evaluate',
  describe: 'Dice, IoU and volume error per class against reference labels; or slice-level AUC / sensitivity / specificity against per-slice labels (--slice-labels)',
  builder: (y) =>
    withCommon(y)
      .option('pred', { type: 'string', demandOption: true, describe: 'predicted label map (NIfTI/NRRD/MHA/PNG) or folder of them (cases pair by file stem or folder name)' })
      .option('truth', { type: 'string', describe: 'reference label map or folder' })
      .option('slice-labels', { type: 'string', describe: "radiologists' per-slice labels (CSV: slice_location_mm, infection[, LLL, LUL, RLL, RML, RUL]) of the one volume --pred (labels NIfTI or a predict case folder); instead of --truth" })
      .option('ct', { type: 'string', describe: 'with --slice-labels: the CT (DICOM folder or volume) for the HU baseline scored beside the prediction (needs --lung)' })
      .option('lung', { type: 'string', describe: 'with --slice-labels: the lung mask on the CT grid for the HU baseline (needs --ct)' })
      .option('map', { type: 'string', describe: 'reference value map: a configured name (infection, semiseg-multiclass, semiseg-binary) or VALUE=CLASS,… e.g. 1=ggo,2=consolidation' })
      .option('json', { type: 'boolean', describe: 'print the full evaluation (per case and aggregate) as JSON' })
      .option('markdown', { type: 'boolean', describe: 'print the mean scores and the pooled confusion matrix (reference × predicted class, row %) as Markdown tables' })
      .conflicts('json', 'markdown')
      .option('out', { type: 'string', describe: 'summary.json to add this evaluation to (other entries kept); with --slice-labels: a JSON file of the slice-level scores' })
      .option('name', { type: 'string', describe: 'entry name in summary.json (default: the --pred folder or file name)' }),
  handler: async (a) => {
    const cfg = loadCommandConfig('evaluate', a).config.evaluate;
    const sliceLabels = a['slice-labels'] as string | undefined;
    if (!a.truth === !sliceLabels) throw new InputError('give either --truth (voxel labels) or --slice-labels (per-slice CSV)');
    if (!sliceLabels && (a.ct || a.lung)) throw new InputError('--ct and --lung go with --slice-labels');
    if (!a.ct !== !a.lung) throw new InputError('the HU baseline needs both --ct and --lung');
    if (sliceLabels && (a.map || a.markdown)) throw new InputError('--map and --markdown apply to voxel labels (--truth), not to --slice-labels');
    if (sliceLabels) {
      const pred = existsSync(a.pred) && statSync(a.pred).isDirectory() ? join(a.pred, 'labels.nii.gz') : a.pred;
      const e = await evaluateSliceCase({ case: a.name ?? basename(a.pred).replace(/\.(nii\.gz|nii|nrrd|mha|mhd)$/i, ''), preds: { model: pred }, csv: sliceLabels, ct: a.ct, lung: a.lung }, cfg.slices, cfg.baseline);
      if (a.out) writeJsonAtomic(a.out, e);
      process.stdout.write(a.json ? JSON.stringify(e, null, 2) + '\n' : sliceEvaluationTable([e]));
      return;
    }
    const e = await evaluateLabels(a.pred, a.truth!, cfg, resolveMap(a.map, cfg));
    const name = a.name ?? basename(a.pred).replace(/\.(nii\.gz|nii|nrrd|mha|mhd|png)$/i, '');
    if (a.out) writeSummary(a.out, name, e);
    process.stdout.write(a.json ? JSON.stringify(e, null, 2) + '\n' : a.markdown ? evaluationMarkdown(e, name) : evaluationTable(e));
    if (e.unmatched.pred.length || e.unmatched.truth.length) process.stderr.write(`evaluate: unpaired: ${e.unmatched.pred.length} prediction(s), ${e.unmatched.truth.length} reference(s)\n`);
  },
};
