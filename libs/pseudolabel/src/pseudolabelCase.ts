import { InputError, type LabelVolume, type Volume, LABEL } from '@covseg/io';
import { cleanConsolidation } from './cleanConsolidation.js';
import { openGroundGlass } from './cleanGgo.js';
import { reassignThickVessels } from './cleanVessels.js';
import { separateByShape, type ShapeStats } from './separateByShape.js';
import type { PseudolabelConfig } from './config.js';
import { composeLabelVolume } from './composeLabels.js';
import type { CandidateFeatures } from './featureSource.js';
import { classifyVoxels, type KMeansModel } from './kmeansModel.js';

/** Per-case numbers kept beside the label volume (DIR/labels/<id>.json). */
export interface CaseLabelStats {
  /** Lung pixels (labels 1–4) of each slice z. */
  lungPixels: number[];
  /** Voxels per label value 0..4 after cleaning. */
  classCounts: number[];
  candidates: number;
  cleaning: { removedComponents: number; removedVoxels: number; keptComponents: number; ggoOpenedVoxels: number; thickVesselVoxels: number };
  /** The shape step (partial volume and tube-vs-blob split of the dense clusters). */
  shape: ShapeStats;
}

/** Pseudo-labels of one volume: nearest centroid per candidate voxel, mapped to classes, composed and cleaned. */
export function pseudolabelVolume(volume: Volume, features: CandidateFeatures, model: KMeansModel, cfg: PseudolabelConfig): { labels: LabelVolume; stats: CaseLabelStats } {
  if (features.names.join() !== model.featureNames.join()) {
    throw new InputError(`features [${features.names}] differ from those kmeans.json was fitted on [${model.featureNames}]`);
  }
  if (features.lungMask.length !== volume.data.length) throw new InputError(`lung mask has ${features.lungMask.length} voxels, the CT ${volume.data.length}`);
  const classes = classifyVoxels(features.values, model);
  const composed = composeLabelVolume(features.lungMask, features.indices, classes);
  const shape = separateByShape(composed, volume.data, features.lungMask, volume.shape, volume.spacing, cfg.shape);
  const thickVesselVoxels = reassignThickVessels(composed, volume.shape, cfg.cleaning.thickVesselOpening);
  const { labels, ...consolidation } = cleanConsolidation(composed, volume.shape, volume.spacing, cfg.cleaning);
  const cleaning = { ...consolidation, ggoOpenedVoxels: openGroundGlass(labels, volume.shape, cfg.cleaning.ggoOpening), thickVesselVoxels };
  const [nz, ny, nx] = volume.shape;
  const plane = ny * nx;
  const lungPixels = new Array(nz).fill(0);
  const classCounts = new Array(5).fill(0);
  for (let z = 0, i = 0; z < nz; z++)
    for (let p = 0; p < plane; p++, i++) {
      const v = labels[i];
      classCounts[v]++;
      if (v >= LABEL.lung) lungPixels[z]++;
    }
  const { data: _d, ...geometry } = volume;
  return { labels: { ...geometry, data: labels }, stats: { lungPixels, classCounts, candidates: classes.length, cleaning, shape } };
}
