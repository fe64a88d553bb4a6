import { z } from 'zod';
import { ingestConfigSchema } from '@covseg/io';
import { phantomConfigSchema } from '@covseg/phantom';
import { pipelineConfigSchema } from './pipelineConfig.js';

/** The whole covseg config: one section per library concern (each lib owns its schema). */
export const configSchema = z
  .object({
    phantom: phantomConfigSchema,
    ingest: ingestConfigSchema,
    pipeline: pipelineConfigSchema,
  })
  .strict();

export type CovsegConfig = z.infer<typeof configSchema>;
