import { z } from 'zod';

/** `ingest.autoWindow`: tissue landmarks for `--window auto` (HU and their uncertainty, sd in HU). */
export const autoWindowConfigSchema = z
  .object({
    /** Aerated lung parenchyma peak (healthy ≈ -850 HU; disease moves it up, hence a wide sd). */
    lungHu: z.number(),
    lungSdHu: z.number().min(0),
    /** Soft-tissue peak (muscle, blood, mediastinum ≈ +40 HU). */
    softTissueHu: z.number(),
    softTissueSdHu: z.number().min(0),
    /** Outside air (≈ -1000 HU), used only when the slice shows enough unclipped air. */
    airHu: z.number(),
    airSdHu: z.number().min(0),
    /** A landmark region needs at least this fraction of the picture's pixels. */
    minLandmarkFraction: z.number().min(0).max(1),
    /** The air peak must lie this many gray levels below the lung peak to count. */
    minPeakSeparation: z.number().min(0),
    /** Histogram smoothing: box of ± this many gray levels. */
    smoothBins: z.number().int().min(0),
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
