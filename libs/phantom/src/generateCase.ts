import { createRng, LABEL, type LabelVolume, type Volume } from '@covseg/io';
import type { PhantomConfig } from './config.js';
import { axisMm, makeFrame, occupancy, voxelRange, type Frame, type Vec3 } from './frame.js';
import { airwaySegments, bodyRadius, heartRadius, lungRadius, lungShapes, segmentDistance } from './anatomy.js';
import { growVesselTree, type VesselSegment } from './vesselTree.js';
import { lesionRadius, moveToPleura, placeLesion, type Lesion } from './lesions.js';
import { makeValueNoise } from './valueNoise.js';
import { gaussianBlurInPlace } from './blur.js';

/** What was drawn for one case (all the generator's random choices). */
export interface PhantomCaseInfo {
  seed: string;
  spacing: [number, number, number];
  noiseHu: number;
  blurVoxels: number;
  lungHu: number;
  healthy: boolean;
  lesions: Lesion[];
  vesselSegments: number;
}

export interface PhantomCase {
  image: Volume;
  label: LabelVolume;
  info: PhantomCaseInfo;
}

/** Clip of the stored HU (the usual CT range). */
const HU_CLIP: [number, number] = [-1024, 3071];

/** Generates one synthetic chest CT (int16 HU) with its exact label volume; deterministic in `seed`. */
export function generatePhantomCase(cfg: PhantomConfig, seed: string | number): PhantomCase {
  const rng = createRng(`phantom:${seed}`);
  const shape = [...cfg.shape] as [number, number, number];
  const inPlane = rng.uniform(...cfg.inPlaneSpacingMm);
  const spacing: [number, number, number] = cfg.spacing ? [...cfg.spacing] : [rng.uniform(...cfg.sliceThicknessMm), inPlane, inPlane];
  const f = makeFrame(shape, spacing);
  const [nz, ny, nx] = shape;
  const n = nz * ny * nx;
  const lungs = lungShapes(f);
  const lungHu = rng.uniform(...cfg.lungHu);
  const noiseHu = rng.uniform(...cfg.noiseHu);
  const blurVoxels = rng.uniform(...cfg.blurVoxels);
  const edge = Math.cbrt(spacing[0] * spacing[1] * spacing[2]);
  const texture = makeValueNoise(rng, 6);

  const hu = new Float32Array(n);
  const label = new Uint8Array(n);
  const airways = airwaySegments(f, cfg.tracheaRadiusMm, cfg.bronchusRadiusMm);
  const p: Vec3 = [0, 0, 0];
  for (let z = 0, i = 0; z < nz; z++) {
    p[2] = axisMm(z, nz, spacing[0]);
    for (let y = 0; y < ny; y++) {
      p[1] = axisMm(y, ny, spacing[1]);
      for (let x = 0; x < nx; x++, i++) {
        p[0] = axisMm(x, nx, spacing[2]);
        const br = bodyRadius(f, p);
        if (br >= 1) {
          hu[i] = cfg.airHu;
          continue;
        }
        hu[i] = br > 0.93 ? cfg.fatHu : cfg.softTissueHu;
        let airway = Infinity;
        for (const s of airways) airway = Math.min(airway, segmentDistance(p, s.a, s.b).d - s.r);
        if (airway < 0) {
          hu[i] = cfg.airHu; // airway lumen: air, not lung
          continue;
        }
        if (heartRadius(f, p) < 1) continue;
        if (lungRadius(lungs[0], p) < 1 || lungRadius(lungs[1], p) < 1) {
          hu[i] = lungHu + 15 * texture(p[0], p[1], p[2]);
          label[i] = LABEL.lung;
        }
      }
    }
  }

  const vessels: VesselSegment[] = lungs.flatMap((l) => growVesselTree(l, rng, cfg.vesselRootRadiusMm, cfg.vesselMinRadiusMm));
  const healthy = rng.next() < cfg.healthyFraction;
  const lesions: Lesion[] = [];
  if (!healthy) {
    const lungSize = (lungs[0].axes[0] + lungs[0].axes[1] + lungs[0].axes[2]) / 3;
    const radius = (range: [number, number]) => Math.min(cfg.maxLesionRadiusMm, lungSize * rng.uniform(...range));
    const ng = rng.int(...cfg.ggoCount);
    for (let k = 0; k < ng; k++) lesions.push(placeLesion('ggo', lungs, rng, radius(cfg.ggoRadiusFraction), rng.uniform(...cfg.ggoHu), cfg.ggoPatchiness));
    const nc = rng.int(...cfg.consolidationCount);
    for (let k = 0; k < nc; k++) lesions.push(placeLesion('consolidation', lungs, rng, radius(cfg.consolidationRadiusFraction), rng.uniform(...cfg.consolidationHu), 0.1));
    // a separate stream: with pleuralLesionFraction 0 a case is what it was before pleural lesions existed
    const pleuralRng = createRng(`phantom-pleural:${seed}`);
    for (let k = 0; k < lesions.length; k++) if (pleuralRng.next() < cfg.pleuralLesionFraction) lesions[k] = moveToPleura(lesions[k], lungs, pleuralRng);
  }

  // order of painting = label priority: GGO < vessel < consolidation
  for (const les of lesions.filter((l) => l.kind === 'ggo')) paintLesion(f, hu, label, les, rng, edge, LABEL.ggo, [LABEL.lung]);
  const blurSigma: [number, number, number] = [(blurVoxels * spacing[2]) / spacing[0], blurVoxels, blurVoxels];
  paintVessels(f, hu, label, vessels, edge, cfg.vesselHu, blurSigma);
  for (const les of lesions.filter((l) => l.kind === 'consolidation')) paintLesion(f, hu, label, les, rng, edge, LABEL.consolidation, [LABEL.lung, LABEL.ggo, LABEL.vessels]);

  gaussianBlurInPlace(hu, shape, blurSigma);
  const data = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const v = Math.round(hu[i] + noiseHu * rng.normal());
    data[i] = v < HU_CLIP[0] ? HU_CLIP[0] : v > HU_CLIP[1] ? HU_CLIP[1] : v;
  }
  const geometry = {
    shape,
    spacing,
    origin: [axisMm(0, nx, spacing[2]), axisMm(0, ny, spacing[1]), axisMm(0, nz, spacing[0])] as [number, number, number],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  };
  return {
    image: { ...geometry, data },
    label: { ...geometry, shape: [...shape], spacing: [...spacing], origin: [...geometry.origin], direction: [...geometry.direction], data: label },
    info: { seed: String(seed), spacing, noiseHu, blurVoxels, lungHu, healthy, lesions, vesselSegments: vessels.length },
  };
}

/** Blends a lesion into the HU volume (soft edge) and labels its voxels (occupancy ≥ ½) that carry one of `over`. */
function paintLesion(f: Frame, hu: Float32Array, label: Uint8Array, les: Lesion, rng: ReturnType<typeof createRng>, edge: number, value: number, over: number[]): void {
  const [nz, ny, nx] = f.shape;
  const [sz, sy, sx] = f.spacing;
  const noise = makeValueNoise(rng, Math.max(2, Math.min(...les.axes) / 2));
  const rMean = (les.axes[0] + les.axes[1] + les.axes[2]) / 3;
  const reach = 1 + les.patchiness;
  const [x0, x1] = voxelRange(les.centre[0] - reach * les.axes[0], les.centre[0] + reach * les.axes[0], nx, sx);
  const [y0, y1] = voxelRange(les.centre[1] - reach * les.axes[1], les.centre[1] + reach * les.axes[1], ny, sy);
  const [z0, z1] = voxelRange(les.centre[2] - reach * les.axes[2], les.centre[2] + reach * les.axes[2], nz, sz);
  const p: Vec3 = [0, 0, 0];
  const overSet = new Set(over);
  for (let z = z0; z <= z1; z++) {
    p[2] = axisMm(z, nz, sz);
    for (let y = y0; y <= y1; y++) {
      p[1] = axisMm(y, ny, sy);
      for (let x = x0; x <= x1; x++) {
        const i = x + nx * (y + ny * z);
        if (label[i] === LABEL.background) continue; // lesions stay inside the lungs
        p[0] = axisMm(x, nx, sx);
        const r = lesionRadius(les, p) - les.patchiness * noise(p[0], p[1], p[2]);
        const occ = occupancy((r - 1) * rMean, edge);
        if (occ <= 0) continue;
        hu[i] += (les.hu - hu[i]) * occ;
        if (occ >= 0.5 && overSet.has(label[i])) label[i] = value;
      }
    }
  }
}

/**
 * Blends the vessel tree (max occupancy over segments) into the lungs and labels vessel voxels whose
 * occupancy after the scanner blur is ≥ ½ — what the image shows: a vessel thinner than the blur is lung.
 */
function paintVessels(f: Frame, hu: Float32Array, label: Uint8Array, segs: VesselSegment[], edge: number, vesselHu: number, blurSigma: [number, number, number]): void {
  const [nz, ny, nx] = f.shape;
  const [sz, sy, sx] = f.spacing;
  const occ = new Float32Array(label.length);
  const p: Vec3 = [0, 0, 0];
  for (const s of segs) {
    const r = Math.max(s.ra, s.rb) + edge;
    const [x0, x1] = voxelRange(Math.min(s.a[0], s.b[0]) - r, Math.max(s.a[0], s.b[0]) + r, nx, sx);
    const [y0, y1] = voxelRange(Math.min(s.a[1], s.b[1]) - r, Math.max(s.a[1], s.b[1]) + r, ny, sy);
    const [z0, z1] = voxelRange(Math.min(s.a[2], s.b[2]) - r, Math.max(s.a[2], s.b[2]) + r, nz, sz);
    for (let z = z0; z <= z1; z++) {
      p[2] = axisMm(z, nz, sz);
      for (let y = y0; y <= y1; y++) {
        p[1] = axisMm(y, ny, sy);
        for (let x = x0; x <= x1; x++) {
          const i = x + nx * (y + ny * z);
          if (label[i] === LABEL.background) continue;
          p[0] = axisMm(x, nx, sx);
          const { d, t } = segmentDistance(p, s.a, s.b);
          const r = s.ra + (s.rb - s.ra) * t;
          // a tube thinner than a voxel fills only part of it: scale the ramp by its width fraction
          const o = occupancy(d - r, edge) * Math.min(1, (2 * r) / edge);
          if (o > occ[i]) occ[i] = o;
        }
      }
    }
  }
  for (let i = 0; i < occ.length; i++) if (occ[i] > 0) hu[i] += (vesselHu - hu[i]) * occ[i];
  gaussianBlurInPlace(occ, f.shape, blurSigma);
  for (let i = 0; i < occ.length; i++) if (occ[i] >= 0.5 && (label[i] === LABEL.lung || label[i] === LABEL.ggo)) label[i] = LABEL.vessels;
}
