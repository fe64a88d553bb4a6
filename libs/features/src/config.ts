import { z } from 'zod';

const positive = z.number().positive();
/** Longest distance a lung-mask setting may ask for, mm: more than any chest is wide, so a typo (a dilation by 1e308 mm never ended). */
const MAX_DISTANCE_MM = 1000;
const distanceMm = z.number().min(0).max(MAX_DISTANCE_MM);
/** Largest filter scale (voxels or mm): a Gaussian wider than any CT, whose kernel alone would not fit in memory. */
const MAX_SIGMA = 100;
const sigma = positive.max(MAX_SIGMA);
/** Gaussian truncation beyond this many σ changes nothing measurable and only grows the kernel (scipy uses 4). */
const MAX_TRUNCATE = 20;

/** `lungmask` section: the classical 3D lung mask (thresholds in HU, sizes in mm / ml). */
export const lungmaskConfigSchema = z
  .object({
    /** Voxels below this HU are air (lungs, airways, outside air). */
    airThresholdHu: z.number(),
    /** Gaussian σ (mm) applied before thresholding, to tame noise. */
    smoothSigmaMm: z.number().min(0),
    /** An air component smaller than this (ml) is not a lung. */
    minLungVolumeMl: positive,
    /** A second component smaller than this fraction of the largest is dropped (one merged lung pair). */
    secondLungMinFraction: z.number().min(0).max(1),
    /** Erosions (voxels) tried to separate two lungs joined at a junction. */
    maxSplitErosions: z.number().int().min(0),
    /** Airway lumen: smoothed HU below this (stricter than the air threshold; parenchyma is ~-850). */
    airwayThresholdHu: z.number(),
    /** Trachea cross-section range (mm²) accepted when seeding it in the top slices. */
    tracheaAreaMm2: z.tuple([positive, positive]),
    /** Airway region growing stops (leak guard) beyond this volume (ml). */
    maxAirwayVolumeMl: positive,
    /** Region growing stops after this path length from the trachea seed (mm): trachea + main bronchi. */
    maxAirwayLengthMm: distanceMm.positive(),
    /** The removed airway is dilated by this margin (mm) to take its wall's partial volume. */
    airwayMarginMm: distanceMm,
    /** Slice-wise closing radius (mm): pulls pleural consolidations and vessels into the mask. */
    closingRadiusMm: distanceMm,
    /** Per slice, put back the pleural bays that dense subpleural consolidation cuts out of the air lung. */
    pleuralBays: z
      .object({
        /** Fill the concavities of each lung's convex hull that open onto the chest wall (not those facing the mediastinum). */
        hullConcavities: z.boolean(),
        /** Bays beyond the hull of both lungs: the pleura continued across them bulges at most this far (mm) beyond the hull (0 = off). */
        maxDepthMm: z.number().min(0),
        /**
         * 3-D volumes: a hull concavity counts as costal only where its opening lies within this distance (mm) of
         * bone (the ribs and spine of the chest wall), so the liver and spleen under the diaphragm's domes, which
         * basal lung slices cup, are not filled (0 = off: any opening away from the mediastinum is costal).
         */
        ribDistanceMm: z.number().min(0).max(1000),
        /** Bone for `ribDistanceMm`: voxels of the body at or above this HU. */
        boneHu: z.number(),
        /**
         * 3-D volumes, feet first: keep a bay only when at least half of it rests on the lungs (bays included) of the
         * slice below — a consolidation lies on lung or on its own lower part, the liver and spleen under a dome on
         * neither (a consolidation filling the lowest recess is lost with them).
         */
        restOnLungBelow: z.boolean(),
      })
      .strict(),
    /** 3-D volumes: fill a lung's voxels that have lung of the same lung within this distance (mm) both above and below — lesions spanning a few slices (0 = off). */
    bridgeSlicesMm: z.number().min(0),
    /** Fill enclosed holes slice by slice (vessels, nodules, dense lesions inside the lung). */
    fillHoles: z.boolean(),
    /** Single slices (shape [1, ny, nx]): the crop-tolerant 2D mask. */
    slice2d: z
      .object({
        /** An air region smaller than this (mm², inside the body) is not a lung (trachea, bronchi, bowel gas). */
        minLungAreaMm2: positive,
        /** An air region with more than this fraction outside the body's convex hull is outside air. */
        maxOutsideBodyFraction: z.number().min(0).max(1),
        /** Tissue components smaller than this fraction of the largest are not body (table, clothes, noise). */
        bodyMinFraction: z.number().min(0).max(1),
      })
      .strict(),
  })
  .strict();
export type LungmaskConfig = z.infer<typeof lungmaskConfigSchema>;

/** `features` section: the per-voxel feature stack (sigmas in `sigmaUnit`). */
export const featuresConfigSchema = z
  .object({
    /** Candidate voxels: lung ∧ HU > this (the paper: -700). */
    candidateMinHu: z.number(),
    /** σ of the smoothed-HU channel `hu_s1` (Gaussian, mode nearest as skimage). */
    smoothSigma: sigma,
    /** σ of the Hessian channels. */
    hessianSigma: sigma,
    /** Hessian channels: eigenvalues l1,l2,l3 sorted by |λ| ascending, or the diagonal Hxx,Hyy,Hzz (σ²-normalised). */
    hessian: z.enum(['eigenvalues', 'diagonal']),
    /** Frangi scales (one channel each). */
    frangiSigmas: z.array(sigma).min(1),
    /** Frangi plate / blob / structure sensitivities (skimage 0.19 defaults 0.5, 0.5, 15). */
    frangiAlpha: positive,
    frangiBeta: positive,
    frangiGamma: positive,
    /** Sigmas in voxels (skimage) or in mm (divided by the spacing per axis). */
    sigmaUnit: z.enum(['voxel', 'mm']),
    /** Gaussian truncation in σ (scipy: 4). */
    truncate: positive.max(MAX_TRUNCATE),
    /** Slices per z-block (the halo is added around it): bounds memory. */
    blockSlices: z.number().int().min(1),
    /** Worker threads (0 = in-thread; capped by the available cores). */
    workers: z.number().int().min(0),
    /** Memory the feature stack may use, MB (0 = the machine's physical memory): a volume that needs more is refused up front with the number. */
    memoryBudgetMb: z.number().int().min(0),
  })
  .strict();
export type FeaturesConfig = z.infer<typeof featuresConfigSchema>;
