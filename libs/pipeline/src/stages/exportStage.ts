import { join } from 'node:path';
import { exportModelDirToOnnx, verifyModelDirAgainstOnnx } from '@covseg/onnx';
import { writeJsonAtomic } from '@covseg/io';
import type { Stage } from '../stage.js';
import { modelDir, onnxFile, verifyFile } from '../runLayout.js';

/** Exports both U-Nets to ONNX and checks each against tfjs (max |Δprob|, argmax agreement). */
export const exportStage: Stage = {
  name: 'export',
  describe: 'export Unet-A and Unet-B to ONNX and verify them against tfjs',
  inputs: (ctx) => (['unet-a', 'unet-b'] as const).map((m) => join(modelDir(ctx.runDir, m), 'weights.bin')),
  run: async (ctx) => {
    const verify: Record<string, unknown> = {};
    for (const m of ['unet-a', 'unet-b'] as const) {
      await exportModelDirToOnnx(modelDir(ctx.runDir, m), onnxFile(ctx.runDir, m), ctx.config.export);
      const r = await verifyModelDirAgainstOnnx(modelDir(ctx.runDir, m), onnxFile(ctx.runDir, m), ctx.config.export, { reportFile: verifyFile(ctx.runDir, m) });
      verify[m] = { passed: r.passed, maxAbsDiff: r.maxAbsDiff, argmaxAgreement: r.argmaxAgreement };
      if (!r.passed) throw new Error(`${m}: ONNX export failed verification: ${r.failures.join("; ")}`);
    }
    writeJsonAtomic(verifyFile(ctx.runDir), verify);
    return verify;
  },
};
