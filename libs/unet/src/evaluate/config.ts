import { z } from 'zod';

/** What a reference value stands for when a map is applied ('lesion' = GGO ∪ consolidation, class unknown). */
export const MapTarget = z.enum(['background', 'lung', 'ggo', 'consolidation', 'vessels', 'lesion']);
export type MapTarget = z.infer<typeof MapTarget>;

/** `evaluate` section. */
export const EvaluateConfig = z
  .object({
    /** Dice/IoU when prediction and reference are both empty for a class: 'skip' = null, left out of the mean; 'one' = 1. */
    emptyBoth: z.enum(['skip', 'one']),
    /** Pixel spacing [sz, sy, sx] mm assumed for 2D PNG masks (they carry none): volumes of PNGs are in these units. */
    pngSpacingMm: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
    /** Named reference maps for --map NAME: reference value → class; unmapped values count as background. */
    maps: z.record(z.string(), z.record(z.string().regex(/^\d+$/), MapTarget)),
  })
  .strict();
export type EvaluateConfig = z.infer<typeof EvaluateConfig>;
