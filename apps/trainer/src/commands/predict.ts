import { openSegmenter, lungMaskFromFile, predictAll, predictExitCode, segmentSliceFiles } from '@covseg/inference';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isGrayImageFile, parseShard, exitCodeFor } from '@covseg/io';
import { BACKEND_NAMES, type BackendName } from '@covseg/tfjs-backend';
import type { Command } from '../cli.js';
import { inRunFolder, withCommon, withPictureFlags } from '../cli.js';
import { loadCommandConfig } from '@covseg/pipeline/config';

/** True for a PNG/JPG file or a folder holding one (slices are segmented one by one). */
function holdsPictures(input: string): boolean {
  if (!existsSync(input)) return false;
  if (!statSync(input).isDirectory()) return isGrayImageFile(input);
  return readdirSync(input).some(isGrayImageFile);
}

export const predictCommand: Command = {
  command: 'predict <input>',
  describe: 'segment a CT: labels NIfTI, DICOM, volumes report',
  builder: (y) =>
    withPictureFlags(withCommon(y))
      .positional('input', { type: 'string', describe: 'DICOM folder, .nii/.nii.gz, .nrrd, .mha/.mhd, a folder of many cases (one output subfolder each), or slices: PNG/JPG pictures (with --window) or, with --2d, single DICOM slices' })
      .option('model', { type: 'string', demandOption: true, describe: 'model folder written by `covseg train`, or an exported .onnx file' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder: labels.nii.gz, dicom/seg.dcm, report.json, report.csv' })
      .option('keep-identifiers', { type: 'boolean', default: false, describe: 'copy patient name/ID from a DICOM source into the DICOM SEG' })
      .option('lung-mask', { type: 'string', describe: 'external lung mask on the CT grid (nonzero = lung) for the lung-mask rules (single input only)' })
      .option('shard', { type: 'string', describe: 'k/n: segment only this worker\'s cases of a folder; one run without --shard then reuses them and writes report.csv' })
      .option('backend', { choices: BACKEND_NAMES, default: 'auto' as BackendName, describe: 'tfjs backend for a model folder (an .onnx file runs on ONNX Runtime: other than auto is refused)' }),
  handler: (a) =>
    inRunFolder(a.out, 'predict', a.shard, async () => {
      const config = loadCommandConfig('predict', a).config;
      const cfg = config.predict;
      const { segmenter, provenance } = await openSegmenter(a.model, a.backend, undefined, config.pipeline.threads, config.export.runtime);
      if (config.ingest.dimensions === '2d' || holdsPictures(a.input)) {
        const outcomes = await segmentSliceFiles(a.input, a.out, {
          segmenter, cfg, ingest: config.ingest, lungmask: config.lungmask, quiet: a.quiet,
          onError: (o) => process.stderr.write(`predict: skipped ${o.id} (${o.source}): ${o.error}\n`),
          onNote: (file, note) => process.stderr.write(`predict: note: ${file}: ${note}\n`),
        });
        const done = outcomes.filter((o) => o.row);
        console.log(`${done.length}/${outcomes.length} slice(s) → ${a.out}/<image>.png (labels 0–4) and ${a.out}/report.csv (${provenance.engine})`);
        process.exitCode = exitCodeFor(outcomes.length - done.length, outcomes.length);
        return;
      }
      const outcomes = await predictAll(a.input, a.out, {
        segmenter, model: provenance, cfg, keepIdentifiers: a.keepIdentifiers, quiet: a.quiet, shard: parseShard(a.shard),
        lungMask: a.lungMask ? lungMaskFromFile(a.lungMask) : undefined,
        onError: (o) => process.stderr.write(`predict: skipped ${o.id} (${o.source}): ${o.error}\n`),
      });
      for (const o of outcomes) {
        if (!o.report) continue;
        const r = o.report;
        console.log(
          `${o.id}: lung ${r.volumes_l.lung.toFixed(3)} L, GGO ${r.volumes_l.ggo.toFixed(3)} L, consolidation ${r.volumes_l.consolidation.toFixed(3)} L, ` +
            `VRall ${r.ratios_pct.VRall.toFixed(1)} %; ${r.timings.seconds_per_slice.toFixed(3)} s/slice (${provenance.engine}) → ${o.outDir}`,
        );
      }
      const code = predictExitCode(outcomes);
      if (code) {
        const failed = outcomes.filter((o) => o.error).length;
        process.stderr.write(`covseg: predict: ${failed} of ${outcomes.length} case(s) failed (listed in ${a.out}/failed.json)\n`);
        process.exitCode = code;
      }
    }),
};
