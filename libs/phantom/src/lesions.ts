import type { Rng } from '@covseg/io';
import type { Vec3 } from './frame.js';
import { lungRadius, type LungShape } from './anatomy.js';

export type LesionKind = 'ggo' | 'consolidation';

/** One lesion: an ellipsoid (semi-axes mm) with a mean HU, optional patchy texture. */
export interface Lesion {
  kind: LesionKind;
  lung: number;
  centre: Vec3;
  axes: Vec3;
  hu: number;
  patchiness: number;
}

/**
 * Places a lesion in a lung: GGO mostly peripheral (subpleural), consolidation often posterior
 * (dependent) — the distribution seen in COVID-19 pneumonia.
 */
export function placeLesion(kind: LesionKind, lungs: LungShape[], rng: Rng, radius: number, hu: number, patchiness: number): Lesion {
  const li = rng.int(0, lungs.length - 1);
  const l = lungs[li];
  for (let attempt = 0; ; attempt++) {
    const u: Vec3 = [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)];
    if (kind === 'consolidation' && rng.next() < 0.6) u[1] = Math.abs(u[1]); // posterior half
    const c: Vec3 = [l.centre[0] + u[0] * l.axes[0], l.centre[1] + u[1] * l.axes[1], l.centre[2] + u[2] * l.axes[2]];
    const r = lungRadius(l, c);
    const peripheral = kind === 'ggo' ? r > 0.55 && r < 0.9 : r > 0.3 && r < 0.9;
    if (peripheral || attempt > 200) {
      const axes: Vec3 = [radius * rng.uniform(0.75, 1.25), radius * rng.uniform(0.75, 1.25), radius * rng.uniform(0.6, 1.1)];
      return { kind, lung: li, centre: c, axes, hu, patchiness };
    }
  }
}

/**
 * Moves a lesion's centre onto the pleura of its lung (normalised lung radius 1), on the dependent (posterior, +Y
 * in LPS) side, away from the apex and base: the subpleural, dependent lesion typical of COVID-19. Half of the
 * ellipsoid lies in the lung (painting keeps lesions inside the lungs), flat against the chest wall or mediastinum.
 * Draws from its own `rng` so that the rest of the case stays as it was.
 */
export function moveToPleura(les: Lesion, lungs: LungShape[], rng: Rng): Lesion {
  const l = lungs[les.lung];
  const u: Vec3 = [rng.uniform(-1, 1), rng.uniform(0.3, 1), rng.uniform(-0.6, 0.6)];
  const norm = Math.hypot(u[0], u[1], u[2]);
  const centre: Vec3 = [l.centre[0] + (u[0] / norm) * l.axes[0], l.centre[1] + (u[1] / norm) * l.axes[1], l.centre[2] + (u[2] / norm) * l.axes[2]];
  return { ...les, centre };
}

/** Normalised ellipsoid radius of p for a lesion. */
export function lesionRadius(les: Lesion, p: Vec3): number {
  const dx = (p[0] - les.centre[0]) / les.axes[0];
  const dy = (p[1] - les.centre[1]) / les.axes[1];
  const dz = (p[2] - les.centre[2]) / les.axes[2];
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}
