import { stepsPerEpochOf } from '@covseg/unet/config';
import type { CovsegConfig } from './configSchema.js';

/** The U-Net work of one stage: training steps and slices segmented (validation, relabelling). */
export interface PlannedWork {
  stage: 'unet-a' | 'relabel' | 'unet-b';
  trainSteps: number;
  inferSlices: number;
  /** How the numbers follow from the config, for the printed table. */
  basis: string;
}

/** One stage's training: epochs × steps per epoch, and the validation slices segmented after each epoch. */
function trainingWork(stage: 'unet-a' | 'unet-b', train: CovsegConfig['train'], slices: number): PlannedWork {
  const validation = Math.min(Math.round(slices * train.validationFraction), train.validationMaxSlices || Infinity);
  const stepsPerEpoch = stepsPerEpochOf(train, slices - validation);
  return {
    stage, trainSteps: train.epochs * stepsPerEpoch, inferSlices: train.epochs * validation,
    basis: `${slices} slices, ${train.epochs} epochs × ${stepsPerEpoch} steps of ${train.batchSize}, ${validation} validation slices per epoch`,
  };
}

/**
 * The U-Net work of a pipeline config at its planned maximum (every epoch run; early stopping can only
 * shorten it). `cohortSlices`: slices Unet-A segments to relabel (every slice of the relabel cohort);
 * null = relabel.slices, a lower bound.
 */
export function trainingPlan(config: CovsegConfig, cohortSlices: number | null): PlannedWork[] {
  const flips = config.predict.testTimeFlip ? 2 : 1;
  const segmented = cohortSlices ?? config.relabel.slices;
  return [
    trainingWork('unet-a', config.train, config.pseudolabel.slices),
    {
      stage: 'relabel', trainSteps: 0, inferSlices: segmented * flips,
      basis: `${segmented} slices${cohortSlices === null ? ' (relabel.slices: a lower bound; the cohort has more)' : ''}${flips > 1 ? ' × 2 (test-time flip)' : ''}`,
    },
    trainingWork('unet-b', { ...config.train, ...config.pipeline.unetBTrain }, config.relabel.slices),
  ];
}

/** Wall seconds of planned work at the measured cost of one training step and one inference slice (ms). */
export function plannedSeconds(work: PlannedWork, trainStepMs: number, inferSliceMs: number): number {
  return (work.trainSteps * trainStepMs + work.inferSlices * inferSliceMs) / 1000;
}

/**
 * Amdahl's serial fraction f of a step from its wall times at several thread counts, by least squares
 * of T(t) / T(1) = f + (1 − f) / t; clamped to [0, 1]; null without a 1-thread and a multi-thread time.
 */
export function serialFraction(points: readonly { threads: number; ms: number }[]): number | null {
  const one = points.find((p) => p.threads === 1);
  const more = points.filter((p) => p.threads > 1);
  if (!one || more.length === 0) return null;
  // r − 1/t = f · (1 − 1/t) with r = T(t) / T(1)
  let num = 0, den = 0;
  for (const p of more) {
    const u = 1 - 1 / p.threads, r = p.ms / one.ms - 1 / p.threads;
    num += u * r;
    den += u * u;
  }
  return Math.min(1, Math.max(0, num / den));
}

/** The time at `cores` threads predicted by Amdahl's law from the 1-thread time and the serial fraction. */
export function amdahlTime(t1: number, serial: number, cores: number): number {
  return t1 * (serial + (1 - serial) / cores);
}
