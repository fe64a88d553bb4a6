import { createRng } from '@covseg/io';
import type { RelabelConfig } from './config.js';

/** One segmented slice that may be drawn. */
export interface SliceCandidate {
  caseId: string;
  z: number;
  lesionPixels: number;
  /** Pixels with labels 1–4. */
  lungPixels: number;
  /** Mean max-probability of the slice (null when unknown: never dropped). */
  confidence: number | null;
}

export interface SliceSelection {
  /** Drawn slices, sorted by case then z. */
  chosen: SliceCandidate[];
  lesion: { wanted: number; available: number; drawn: number };
  healthy: { wanted: number; available: number; drawn: number };
  droppedLowConfidence: number;
}

/** k items of `pool` drawn without replacement (partial Fisher–Yates with the given generator). */
function draw<T>(pool: T[], k: number, next: () => number): T[] {
  const a = [...pool];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(next() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}

/**
 * Draws round(N·F) lesion slices and N − round(N·F) healthy-lung slices, seeded; low-confidence slices
 * are dropped first. A pool smaller than wanted gives all it has (the shortfall is reported, the
 * other class is not topped up, so the lesion fraction never exceeds the configured one by design).
 */
export function selectSlices(candidates: readonly SliceCandidate[], cfg: Pick<RelabelConfig, 'slices' | 'lesionFraction' | 'minLesionPixels' | 'minLungPixels' | 'minConfidence' | 'seed'>): SliceSelection {
  const order = [...candidates].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : a.z - b.z));
  const confident = order.filter((c) => c.confidence === null || c.confidence >= cfg.minConfidence);
  const lesionPool = confident.filter((c) => c.lesionPixels >= cfg.minLesionPixels);
  const healthyPool = confident.filter((c) => c.lesionPixels === 0 && c.lungPixels >= cfg.minLungPixels);
  const wantLesion = Math.round(cfg.slices * cfg.lesionFraction);
  const wantHealthy = cfg.slices - wantLesion;
  const rng = createRng(`relabel:${cfg.seed}`);
  const lesion = draw(lesionPool, Math.min(wantLesion, lesionPool.length), rng.next);
  const healthy = draw(healthyPool, Math.min(wantHealthy, healthyPool.length), rng.next);
  const chosen = [...lesion, ...healthy].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : a.z - b.z));
  return {
    chosen,
    lesion: { wanted: wantLesion, available: lesionPool.length, drawn: lesion.length },
    healthy: { wanted: wantHealthy, available: healthyPool.length, drawn: healthy.length },
    droppedLowConfidence: order.length - confident.length,
  };
}
