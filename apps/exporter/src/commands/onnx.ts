import { exportModelDirToOnnx } from '@covseg/onnx';
import type { Command } from '../cli.js';
import { withCommon } from '../cli.js';
import { exportConfigFromArgs } from '../config.js';

export const onnxCommand: Command = {
  command: 'onnx',
  describe: 'convert a trained tfjs U-Net folder to an ONNX file (NCHW [N,1,H,W] → probabilities [N,5,H,W])',
  builder: (y) =>
    withCommon(y)
      .option('model', { type: 'string', demandOption: true, describe: 'model folder written by covseg train (model.json, weights.bin, unet.json)' })
      .option('out', { type: 'string', demandOption: true, describe: 'ONNX file to write (atomically)' })
      .option('opset', { type: 'number', describe: 'ai.onnx opset (13–17; default from config export.opset)' }),
  handler: async (a) => {
    const cfg = exportConfigFromArgs(a, { opset: a.opset });
    const r = await exportModelDirToOnnx(a.model, a.out, cfg);
    console.log(`wrote ${a.out}: ${r.card.modelName}, opset ${cfg.opset}, ${r.nodes} nodes, ${r.initializers} initializers, ${(r.bytes / 1e6).toFixed(2)} MB`);
  },
};
