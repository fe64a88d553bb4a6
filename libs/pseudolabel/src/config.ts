import { z } from 'zod';

/** `cluster` section: cohort voxel sampling and mini-batch K-means (Sculley 2010, as scikit-learn's MiniBatchKMeans). */
export const clusterConfigSchema = z
  .object({
    /** Patients whose candidate voxels are pooled for the fit (paper: 50). */
    patients: z.number().int().min(1),
    /** Total voxels sampled across those patients; each patient contributes at most an equal share (stratified). */
    sampleVoxels: z.number().int().min(100),
    /** Clusters (paper: 3 — vessels, consolidation, GGO). */
    k: z.number().int().min(3),
    /** Candidate initialisations (k-means++ on init subsets); the best by inertia on a validation subset is kept. */
    nInit: z.number().int().min(1),
    /** Points per mini-batch step. */
    batchSize: z.number().int().min(8),
    /** Points of each init subset (0: 3 × batchSize, as scikit-learn). */
    initSize: z.number().int().min(0),
    /** Maximum passes over the sample (steps = maxIter · n / batchSize). */
    maxIter: z.number().int().min(1),
    /** Stop when the mean squared centroid move per step, relative to the data variance, is below this (0 disables). */
    tol: z.number().min(0),
    /** Stop after this many steps without improvement of the smoothed batch inertia (0 disables). */
    maxNoImprovement: z.number().int().min(0),
    /** Rows of a random subset on which Lloyd iterations polish the final centroids (0 or absent = pure mini-batch). */
    polishSize: z.number().int().min(0).optional(),
    /** Most polish iterations (stops when no label of the subset changes). */
    polishIter: z.number().int().min(0).optional(),
    /** Seed of voxel sampling, initialisation and batches. */
    seed: z.number().int(),
  })
  .strict();
export type ClusterConfig = z.infer<typeof clusterConfigSchema>;

/** Voxel neighbourhood of a 3D structuring element / component labelling. */
export const connectivitySchema = z.union([z.literal(6), z.literal(18), z.literal(26)]);
export type Connectivity = z.infer<typeof connectivitySchema>;

/** `pseudolabel` section: morphological cleaning and the slice shard store. */
export const pseudolabelConfigSchema = z
  .object({
    cleaning: z
      .object({
        /** Consolidation components smaller than this (mm³) are reassigned to `reassignTo`. */
        minConsolidationMm3: z.number().min(0),
        /** Label given to removed consolidation voxels: "ggo" (they were dense enough to be candidates) or "lung". */
        reassignTo: z.enum(['ggo', 'lung']),
        /** Neighbourhood used to split consolidation into components. */
        componentConnectivity: connectivitySchema,
        /** Opening (erosion then dilation) of consolidation before the size filter: element connectivity and radius (voxels, 0 = off). */
        opening: z.object({ connectivity: connectivitySchema, radius: z.number().int().min(0) }).strict(),
        /** Opening of GGO (element connectivity and radius, voxels; 0 = off): thinner GGO (vessel partial-volume shells) becomes lung. */
        ggoOpening: z.object({ connectivity: connectivitySchema, radius: z.number().int().min(0) }).strict(),
        /** Opening of vessels (voxels; 0 = off): what is thicker than the element is a dense opacity → consolidation. */
        thickVesselOpening: z.object({ connectivity: connectivitySchema, radius: z.number().int().min(0) }).strict(),
      })
      .strict(),
    /** Shape step after K-means: partial-volume rims and tube-vs-blob split of the dense clusters (separateByShape). */
    shape: z
      .object({
        /** Widest vessel radius (mm): dense regions holding a disk of this radius are consolidation, thinner ones vessels (0 = off). */
        maxVesselRadiusMm: z.number().min(0),
        /** Disk planes: axial only, or axial + coronal + sagittal (3D volumes; a single slice is always axial). */
        planes: z.enum(['axial', 'orthogonal']),
        /** HU of blood / soft tissue, the dense end of the partial-volume ramp. */
        denseHu: z.number(),
        /** Where a dense structure ends on the ramp from aerated lung (0) to `denseHu` (1): 0.5 = half maximum. */
        partialVolumeFraction: z.number().min(0).max(1),
        /** σ (mm) of the local background mean that sets the half-maximum near ground glass (0 = aerated lung everywhere). */
        backgroundSigmaMm: z.number().min(0),
        /** How far (face-neighbour steps) a dense structure takes above-level GGO voxels of its blurred rim. */
        partialVolumeVoxels: z.number().int().min(0),
      })
      .strict(),
    /** Slices drawn into the shard store over the whole cohort (paper: 9,000). */
    slices: z.number().int().min(1),
    /** A slice is eligible when it holds at least this many lung pixels (labels 1–4). */
    minLungPixels: z.number().int().min(0),
    /** Seed of the slice draw. */
    seed: z.number().int(),
    /** Upper bound of one shard file, bytes. */
    maxShardBytes: z.number().int().min(1024),
  })
  .strict();
export type PseudolabelConfig = z.infer<typeof pseudolabelConfigSchema>;

/** `review` section: overlay pictures of random shard slices. */
export const reviewConfigSchema = z
  .object({
    /** Slices shown (paper: ~50 checked by hand). */
    count: z.number().int().min(1),
    seed: z.number().int(),
    /** Display window [low, high] HU (lung window). */
    window: z.tuple([z.number(), z.number()]),
    /** The correction page's second window preset [low, high] HU (mediastinum: soft tissue, consolidation vs vessels). */
    mediastinumWindow: z.tuple([z.number(), z.number()]),
    /** The correction page's initial brush diameter, pixels. */
    brushSize: z.number().int().min(1),
    /** Opacity of the class colours, 0–1. */
    alpha: z.number().min(0).max(1),
    /** Show the bare CT beside the overlay. */
    sideBySide: z.boolean(),
    /** import-corrections: a PNG pixel within this many levels per channel of a class colour takes that class. */
    colourTolerance: z.number().int().min(0).max(64),
  })
  .strict();
export type ReviewConfig = z.infer<typeof reviewConfigSchema>;
