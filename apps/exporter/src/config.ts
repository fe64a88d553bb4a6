import { applyOverrides, loadConfig } from '@covseg/pipeline';
import { exportConfigFrom, type ExportConfig } from '@covseg/onnx';

const EXPORT_PREFIX = 'export.';

/**
 * The `export` section resolved from --config / --set, with CLI overrides. `export.*` --set entries
 * are applied to the section here, so they work whether or not the composed schema has the section yet.
 */
export function exportConfigFromArgs(args: { [k: string]: unknown; config?: string; set?: string[] }, overrides: { opset?: number } = {}): ExportConfig {
  const sets = args.set ?? [];
  const { config } = loadConfig({ file: args.config, sets: sets.filter((s) => !s.startsWith(EXPORT_PREFIX)) });
  const section = (config as Record<string, unknown>).export ?? {};
  const patched = applyOverrides({ export: section as any }, sets.filter((s) => s.startsWith(EXPORT_PREFIX))) as { export: unknown };
  return exportConfigFrom(patched.export, overrides);
}
