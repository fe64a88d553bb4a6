import { z } from 'zod';

/** `ingest` section: how inputs are read and validated. */
export const ingestConfigSchema = z
  .object({
    /** A slice gap larger than this × the median spacing is a missing slice. */
    maxGapRatio: z.number().min(1),
    /** SeriesInstanceUID to read when a folder holds several (null: the one with most slices). */
    series: z.string().nullable(),
  })
  .strict();

export type IngestConfig = z.infer<typeof ingestConfigSchema>;
