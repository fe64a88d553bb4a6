import { z } from 'zod';

/** `ingest.autoWindow`: tissue landmarks for `--window auto` (HU and their uncertainty, sd in HU). */
export const autoWindowConfigSchema = z
  .object({
    /** Aerated lung parenchyma peak, HU: healthy ≈ -850; disease moves it up (modal lung HU of the 12 COVID-19 SBU lung slices: -845…-515, median ≈ -805), hence -830 ± 60 by default. */
    lungHu: z.number(),
    lungSdHu: z.number().positive(),
    /** Fat peak (subcutaneous, mediastinal ≈ -100 HU), HU. */
    fatHu: z.number(),
    fatSdHu: z.number().positive(),
    /** Soft-tissue peak (muscle, blood, mediastinum ≈ +40 HU), HU. */
    softTissueHu: z.number(),
    softTissueSdHu: z.number().positive(),
    /** Outside air (≈ -1000 HU), used only when the slice shows enough unclipped air, HU. */
    airHu: z.number(),
    airSdHu: z.number().positive(),
    /** A landmark peak needs at least this fraction of the picture's pixels within ± minPeakSeparation gray levels. */
    minLandmarkFraction: z.number().min(0).max(1),
    /** Histogram peaks closer than this many gray levels are one peak; air must lie this far below lung, fat below soft tissue. */
    minPeakSeparation: z.number().min(0),
    /** Histogram smoothing: box of ± this many gray levels. */
    smoothBins: z.number().int().min(0),
    /** An end (gray 0 or 255) holding at least this fraction of the pixels is clipped; it and clipMarginGray levels beside it are never landmarks. */
    clipFraction: z.number().min(0).max(1),
    /** Gray levels beside a clipped end left out as well (JPEG ringing spreads saturated values a few levels). */
    clipMarginGray: z.number().int().min(0).max(60),
    /** A peak must stand out by at least this fraction of its height from the valley separating it from any higher bin or the range end. */
    minProminence: z.number().min(0).max(1),
    /** A shoulder (a tissue merged into a bigger peak's flank, e.g. fat beside soft tissue) needs a curvature −h'' ≥ this × its height / minPeakSeparation². */
    minShoulderCurvature: z.number().min(0),
    /** Uncertainty of a peak's position as a fraction of its spread (sd of the tissue's gray levels). */
    peakSdFraction: z.number().min(0),
    /** Landmark sets whose fit has chi²/dof above this disagree and are refused. */
    maxReducedChi2: z.number().positive(),
    /** Plausible HU at gray 0 and at 255 [min, max] for a lung-window export; a landmark assignment whose window falls outside is refused. */
    plausibleLowHu: z.tuple([z.number(), z.number()]).refine(([a, b]) => a < b, 'min must be below max'),
    plausibleHighHu: z.tuple([z.number(), z.number()]).refine(([a, b]) => a < b, 'min must be below max'),
  })
  .strict();
export type AutoWindowConfig = z.infer<typeof autoWindowConfigSchema>;

/** `ingest` section: how inputs are read and validated. */
export const ingestConfigSchema = z
  .object({
    /** A slice gap larger than this × the median spacing is a missing slice. */
    maxGapRatio: z.number().min(1),
    /** SeriesInstanceUID to read when a folder holds several (null: the one with most slices). */
    series: z.string().nullable(),
    /** '3d': a case is a volume (a single slice is refused); '2d': every DICOM file, PNG or JPG is its own 1-slice case. */
    dimensions: z.enum(['3d', '2d']),
    /** 2D mode: only sources whose path matches this regular expression (e.g. "_axial_"); null = all. */
    include: z.string().nullable(),
    /** 8-bit pictures → HU: [low, high] HU for gray 0 and 255, 'auto' (estimated per picture), or null (refuse pictures). */
    window: z.union([z.tuple([z.number(), z.number()]).refine(([a, b]) => a < b, 'low must be below high'), z.literal('auto'), z.null()]),
    /** 'auto' per picture, or pooled over the pictures of each folder (one series shares one window; far steadier). */
    autoWindowScope: z.enum(['picture', 'folder']),
    /** Pixel spacing [sy, sx] mm assumed for pictures (PNG/JPG carry none). */
    imageSpacingMm: z.tuple([z.number().positive(), z.number().positive()]),
    /** DICOM padding outside the reconstruction circle (-3024, -2048) is clamped up to this HU in 2D mode. */
    minHu: z.number(),
    autoWindow: autoWindowConfigSchema,
  })
  .strict();

export type IngestConfig = z.infer<typeof ingestConfigSchema>;
