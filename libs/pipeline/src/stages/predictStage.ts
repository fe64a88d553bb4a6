import { predictCases, type CaseReport, openSegmenter } from '@covseg/inference';
import type { Stage, StageContext } from '../stage.js';
import { runCases } from './ingestStage.js';

import { lungMaskProvider } from './lungMaskProvider.js';
import { onnxFile, predictionsDir } from '../runLayout.js';

/** Segments the held-out (or all) cases with an exported model (ONNX Runtime engine): labels, DICOM SEG, volumes report. */
export async function predictHeldOut(ctx: StageContext, model: 'unet-a' | 'unet-b', which: 'heldOut' | 'all' = 'heldOut'): Promise<CaseReport[]> {
  // the exported model runs on ONNX Runtime (export.runtime); pipeline.backend is the tfjs backend of training and relabelling
  const { segmenter, provenance } = await openSegmenter(onnxFile(ctx.runDir, model), 'auto', ctx.log, ctx.config.pipeline.threads, ctx.config.export.runtime);
  const cases = (which === 'all' ? runCases(ctx.runDir) : runCases(ctx.runDir, 'heldOut')).map((c) => ({ id: c.id, source: c.image! }));
  const outcomes = await predictCases(cases, predictionsDir(ctx.runDir, model), { segmenter, model: provenance, cfg: ctx.config.predict, lungMask: lungMaskProvider(ctx), read: { allow2D: true }, quiet: ctx.quiet, report: true });
  return outcomes.map((o) => o.report!);
}

/** Final model on the held-out (or all) cases: DIR/predict/<case>/{labels.nii.gz, dicom/, report.json, report.csv} + DIR/predict/report.csv. */
export const predictStage: Stage = {
  name: 'predict',
  describe: 'segment the held-out cases (or all, per pipeline.predictCases) with Unet-B (ONNX Runtime)',
  inputs: (ctx) => [onnxFile(ctx.runDir, 'unet-b')],
  run: async (ctx) => {
    const reports = await predictHeldOut(ctx, 'unet-b', ctx.config.pipeline.predictCases);
    return { cases: reports.length, secondsPerSlice: reports.length ? reports.reduce((s, r) => s + r.timings.seconds_per_slice, 0) / reports.length : null };
  },
};
