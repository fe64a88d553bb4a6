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
    /** The crude HU baseline scored beside the models (Dice and slice-level): lung voxels within huRange after an in-plane opening. No model. */
    baseline: z
      .object({
        huRange: z.tuple([z.number(), z.number()]),
        /** In-plane (2D, 4-connected) binary opening radius, pixels; 0 = none. */
        openingRadius: z.number().int().min(0),
      })
      .strict(),
    /** Slice-level scoring against radiologists' per-slice labels (`covseg evaluate --slice-labels`). */
    slices: z
      .object({
        /** A slice is called infected when its predicted lesion (GGO ∪ consolidation) area exceeds this, mm². */
        lesionAreaThresholdMm2: z.number().min(0),
        /** A predicted slice pairs with the labelled slice nearest in position when within this distance, mm. */
        maxOffsetMm: z.number().positive(),
      })
      .strict(),
  })
  .strict();
export type EvaluateConfig = z.infer<typeof EvaluateConfig>;
