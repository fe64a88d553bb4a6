import { z } from 'zod';
import { defaultConfigSection } from '@covseg/io';

/** `export.runtime` section: ONNX Runtime settings of the ONNX engine. */
export const OnnxRuntimeConfig = z
  .object({
    /** ONNX Runtime threads inside one operator (0 = its default). */
    intraOpThreads: z.number().int().min(0),
    /** ONNX Runtime threads across operators (0 = its default). */
    interOpThreads: z.number().int().min(0),
  })
  .strict();
export type OnnxRuntimeConfig = z.infer<typeof OnnxRuntimeConfig>;

/** The `export.runtime` defaults of configs/default.json, validated. */
export const DEFAULT_ONNX_RUNTIME_CONFIG: OnnxRuntimeConfig = OnnxRuntimeConfig.parse((defaultConfigSection('export') as { runtime: unknown }).runtime);
