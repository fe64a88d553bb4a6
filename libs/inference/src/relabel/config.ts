import { z } from 'zod';

/** `relabel` section: how slices for Unet-B are drawn from a model's segmentations (paper: 20,000 slices). */
export const RelabelConfig = z
  .object({
    /** Slices drawn in total. */
    slices: z.number().int().min(1),
    /** Fraction of drawn slices that contain lesion (GGO or consolidation); the rest are healthy lung. */
    lesionFraction: z.number().min(0).max(1),
    /** Lesion pixels a slice needs to count as a lesion slice. */
    minLesionPixels: z.number().int().min(1),
    /** Lung pixels (labels 1–4) a lesion-free slice needs to count as healthy lung (not outside the lungs). */
    minLungPixels: z.number().int().min(1),
    /** Slices whose mean max-probability is below this are dropped (0 = keep all). */
    minConfidence: z.number().min(0).max(1),
    seed: z.number().int().min(0),
    /** Unet-A's corrected slices (import-corrections) join Unet-B's store as they are, flagged corrected, instead of the model's labels of those slices. */
    keepCorrected: z.boolean(),
    /** Largest shard file, bytes. */
    maxShardBytes: z.number().int().min(1024),
  })
  .strict();
export type RelabelConfig = z.infer<typeof RelabelConfig>;
