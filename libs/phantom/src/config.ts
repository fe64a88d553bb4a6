import { z } from 'zod';

const range = z.tuple([z.number(), z.number()]).refine(([a, b]) => a <= b, 'range must be [low, high] with low ≤ high');

/** Parameters of the synthetic chest CT cohort (`phantom` config section). Ranges are sampled per case. */
export const phantomConfigSchema = z
  .object({
    /** Volume shape [nz, ny, nx] voxels. */
    shape: z.tuple([z.number().int().min(8), z.number().int().min(32), z.number().int().min(32)]),
    /** Fixed spacing [sz, sy, sx] mm; when absent, sampled per case from the ranges below. */
    spacing: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).optional(),
    inPlaneSpacingMm: range,
    sliceThicknessMm: range,
    /** Probability that a case has no lesion at all. */
    healthyFraction: z.number().min(0).max(1),
    ggoCount: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
    consolidationCount: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
    /** Probability that a lesion (GGO or consolidation) is centred on the dependent pleura (subpleural, half in the lung). */
    pleuralLesionFraction: z.number().min(0).max(1),
    /** Mean HU of a ground-glass lesion. */
    ggoHu: range,
    consolidationHu: range,
    /** Lesion radius as a fraction of the lung's mean semi-axis (keeps lesions in proportion whatever the shape). */
    ggoRadiusFraction: range,
    consolidationRadiusFraction: range,
    /** Largest lesion radius, mm. */
    maxLesionRadiusMm: z.number().positive(),
    /** 0 = smooth ellipsoid, 1 = very patchy. */
    ggoPatchiness: z.number().min(0).max(1),
    lungHu: range,
    softTissueHu: z.number(),
    fatHu: z.number(),
    airHu: z.number(),
    vesselHu: z.number(),
    /** Radius of the vessel tree's roots and smallest branches, mm. */
    vesselRootRadiusMm: z.number().positive(),
    vesselMinRadiusMm: z.number().positive(),
    tracheaRadiusMm: z.number().positive(),
    bronchusRadiusMm: z.number().positive(),
    /** Scanner noise σ (HU) and blur σ (voxels), sampled per case. */
    noiseHu: range,
    blurVoxels: range,
  })
  .strict();

export type PhantomConfig = z.infer<typeof phantomConfigSchema>;
