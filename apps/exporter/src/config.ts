import { loadConfig } from '@covseg/pipeline';
import { ExportConfig } from '@covseg/onnx';

/** The `export` section resolved from --config / --set (configs/default.json underneath), with CLI overrides. */
export function exportConfigFromArgs(args: { [k: string]: unknown; config?: string; set?: string[] }, overrides: { opset?: number } = {}): ExportConfig {
  const { config } = loadConfig({ file: args.config, sets: [...(args.set ?? []), ...(overrides.opset !== undefined ? [`export.opset=${overrides.opset}`] : [])] });
  return config.export;
}
