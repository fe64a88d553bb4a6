import { z } from 'zod';
import { ingestConfigSchema } from '@covseg/io';
import { phantomConfigSchema } from '@covseg/phantom';

/** The whole covseg config: one section per library concern (each lib owns its schema). */
export const configSchema = z
  .object({
    phantom: phantomConfigSchema,
    ingest: ingestConfigSchema,
  })
  .strict();

export type CovsegConfig = z.infer<typeof configSchema>;
