import type { TrainConfig } from './config.js';

/**
 * Learning rate of optimisation step `step` (0-based, counted over the whole run) out of `totalSteps`:
 * linear warm-up over `warmupSteps`, then constant or a cosine decay to `minFactor`·base at the last step.
 * A pure function of the step, so a resumed run follows the same schedule exactly.
 */
export function learningRateAt(step: number, totalSteps: number, base: number, cfg: TrainConfig['schedule']): number {
  const warm = Math.min(cfg.warmupSteps, totalSteps);
  if (step < warm) return (base * (step + 1)) / (warm + 1);
  if (cfg.kind === 'constant') return base;
  const span = Math.max(1, totalSteps - 1 - warm);
  const t = Math.min(1, (step - warm) / span);
  return base * (cfg.minFactor + (1 - cfg.minFactor) * 0.5 * (1 + Math.cos(Math.PI * t)));
}
