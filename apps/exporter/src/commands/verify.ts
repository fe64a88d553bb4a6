import { verifyModelDirAgainstOnnx } from '@covseg/onnx';
import type { Command } from '../cli.js';
import { withCommon } from '../cli.js';
import { exportConfigFromArgs } from '../config.js';

/** Raised when parity fails: the report is printed, the exit code is non-zero. */
export class VerifyFailed extends Error {}

export const verifyCommand: Command = {
  command: 'verify',
  describe: 'run the tfjs model and the ONNX file (ONNX Runtime) on the same slices and compare',
  builder: (y) =>
    withCommon(y)
      .option('model', { type: 'string', demandOption: true, describe: 'model folder written by covseg train' })
      .option('onnx', { type: 'string', demandOption: true, describe: 'ONNX file written by covseg-export onnx' })
      .option('slices', { type: 'number', describe: 'synthetic phantom-like slices (real DICOM slices from export.verify.realDataDir are added when present)' })
      .option('report', { type: 'string', describe: 'verify.json to update (default: beside the ONNX file)' }),
  handler: async (a) => {
    const cfg = exportConfigFromArgs(a);
    if (a.slices !== undefined && !(Number.isInteger(a.slices) && a.slices >= 0)) throw new Error(`--slices expects a non-negative integer, got ${a.slices}`);
    const r = await verifyModelDirAgainstOnnx(a.model, a.onnx, cfg, { syntheticSlices: a.slices, reportFile: a.report });
    const real = r.slices.filter((s) => !s.startsWith('synthetic-')).length;
    console.log(`slices: ${r.slices.length} (${r.slices.length - real} synthetic, ${real} real) at ${r.size}², tfjs backend ${r.tfjsBackend}`);
    console.log(`max |Δprob|: ${r.maxAbsDiff.toExponential(3)} (limit ${r.thresholds.maxAbsDiff})`);
    console.log(`argmax agreement: ${(100 * r.argmaxAgreement).toFixed(4)} % (${r.differingPixels} of ${r.pixels} pixels differ; limit ≥ ${(100 * r.thresholds.minArgmaxAgreement).toFixed(1)} %)`);
    console.log(`checker: ${r.checker.message}`);
    console.log(`time: tfjs ${r.seconds.tfjs.toFixed(2)} s, ONNX Runtime ${r.seconds.onnxRuntime.toFixed(2)} s; report ${r.reportFile}`);
    if (!r.passed) throw new VerifyFailed(`verify failed: ${r.failures.join('; ')}`);
    console.log('verify passed');
  },
};
