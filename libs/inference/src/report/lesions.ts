import { isLesion, voxelToPatientMm, voxelVolumeMm3, type LabelVolume } from '@covseg/io';
import { connectedComponents } from '@covseg/features';

/** mm³ per mL. */
const MM3_PER_ML = 1e3;

/** One lesion component: volume and centroid in patient LPS coordinates. */
export interface LesionComponent {
  volume_ml: number;
  voxels: number;
  /** [x, y, z] LPS mm of the component's voxel centroid. */
  centroid_mm: [number, number, number];
}

/** The `count` largest 3D components of lesion (GGO ∪ consolidation), largest first (ties: raster order). */
export function largestLesions(labels: LabelVolume, count: number, connectivity: 6 | 26): LesionComponent[] {
  const cc = connectedComponents(labels.shape, (i) => isLesion(labels.data[i]), connectivity);
  const order = Array.from({ length: cc.count }, (_, k) => k + 1).sort((a, b) => cc.sizes[b] - cc.sizes[a] || a - b);
  const mm3 = voxelVolumeMm3(labels.spacing);
  return order.slice(0, count).map((k) => {
    const n = cc.sizes[k];
    const [sz, sy, sx] = cc.sums[k];
    // the voxel → patient map is affine, so the centroid of positions is the position of the mean index
    return { volume_ml: (n * mm3) / MM3_PER_ML, voxels: n, centroid_mm: voxelToPatientMm(labels, sz / n, sy / n, sx / n) };
  });
}
