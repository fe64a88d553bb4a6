import { loadConfig } from '@covseg/pipeline';
import { exportConfigFrom, type ExportConfig } from '@covseg/onnx';

/** The `export` section resolved from --config / --set (library defaults when the composed config has none yet), with CLI overrides. */
export function exportConfigFromArgs(args: { [k: string]: unknown; config?: string; set?: string[] }, overrides: { opset?: number } = {}): ExportConfig {
  const { config } = loadConfig({ file: args.config, sets: args.set ?? [] });
  return exportConfigFrom((config as Record<string, unknown>).export, overrides);
}
