import type { Volume } from '@covseg/io';
import type { CohortImage } from './clusterCohort.js';

/** Features of a volume's candidate voxels (lung voxels above the candidate HU threshold). */
export interface CandidateFeatures {
  /** Channel names, e.g. hu, hu_s1, l1, l2, l3, frangi_s1, frangi_s2, frangi_s3. */
  names: string[];
  /** n×d row-major, original units (HU, σ²-normalised eigenvalues, vesselness). */
  values: Float32Array;
  /** Linear voxel index (x + nx·(y + ny·z)) of each row. */
  indices: Uint32Array | Int32Array;
  /** Lung mask on the volume's grid (1 = lung). */
  lungMask: Uint8Array;
  /** Extraction settings, recorded in kmeans.json. */
  params?: Record<string, unknown>;
}

/** Computes candidate features of a CT volume (libs/features provides the real one; tests inject others). */
export type FeatureExtractor = (volume: Volume, c: CohortImage) => Promise<CandidateFeatures> | CandidateFeatures;
