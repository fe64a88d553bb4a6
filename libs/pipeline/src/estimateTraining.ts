import { availableParallelism } from 'node:os';
import { activateBackend, type BackendName } from '@covseg/tfjs-backend';
import { measureUnetCost, type UnetCost } from '@covseg/unet';
import type { CovsegConfig } from './configSchema.js';
import { amdahlTime, plannedSeconds, serialFraction, trainingPlan, type PlannedWork } from './trainingPlan.js';

export interface TrainingEstimate {
  backend: string;
  /** Measured cost per thread count (1 and the cores Node sees, or the config's threads). */
  measured: { threads: number; cost: UnetCost }[];
  plan: PlannedWork[];
  /** Serial fraction of a training step (Amdahl), null when only one thread count was measured. */
  serialFraction: number | null;
  /** The core count the last column extrapolates to. */
  cores: number;
}

/**
 * Prices the config's Unet-A, relabelling and Unet-B on this machine: the real step and inference of
 * the configured U-Net timed at 1 thread and at the config's threads (0 = the cores Node sees).
 */
export async function estimateTraining(config: CovsegConfig, o: { backend: BackendName; steps: number; cohortSlices: number | null; cores: number; log: (line: string) => void }): Promise<TrainingEstimate> {
  const threads = config.pipeline.threads || availableParallelism();
  const counts = [...new Set([1, threads])];
  const sections = { unet: config.unet, augment: config.augment, train: config.train };
  const measured: TrainingEstimate['measured'] = [];
  let backend = '';
  for (const t of counts) {
    backend = await activateBackend(o.backend, o.log, t);
    // thread counts only change the native-cpu kernels
    if (backend !== 'native-cpu' && measured.length) break;
    o.log(`estimate: timing ${o.steps} training steps of ${config.unet.inputSize}² (batch ${config.train.batchSize}) on ${backend}, ${t} thread(s)`);
    measured.push({ threads: t, cost: await measureUnetCost(sections, o.steps, config.predict.batchSize) });
  }
  const serial = serialFraction(measured.map((m) => ({ threads: m.threads, ms: m.cost.trainStepMs })));
  return { backend, measured, plan: trainingPlan(config, o.cohortSlices), serialFraction: serial, cores: o.cores };
}

/** Seconds as minutes, hours or days. */
const duration = (s: number) => (s < 3600 ? `${(s / 60).toFixed(1)} min` : s < 48 * 3600 ? `${(s / 3600).toFixed(1)} h` : `${(s / 86400).toFixed(1)} days`);

/** The estimate as Markdown: what was measured, then one row per stage and the total, per thread count and extrapolated. */
export function formatTrainingEstimate(e: TrainingEstimate): string {
  const m1 = e.measured[0].cost;
  const cols = e.measured.map((m) => `${m.threads} thread${m.threads > 1 ? 's' : ''} (measured)`);
  // the extrapolation scales both costs by the training step's serial fraction
  const serial = e.serialFraction;
  const extra = serial === null ? null : (s1: number) => amdahlTime(s1, serial, e.cores);
  const lines = [
    `backend ${e.backend}; per training step / per inference slice: ${e.measured.map((m) => `${m.threads} thread(s) ${m.cost.trainStepMs.toFixed(0)} / ${m.cost.inferSliceMs.toFixed(0)} ms`).join('; ')} (median of ${m1.steps})` +
      (serial === null ? '' : `; serial fraction ${serial.toFixed(2)} (Amdahl)`),
    '',
    `| stage | work | ${cols.join(' | ')}${extra ? ` | ${e.cores} cores (Amdahl) |` : ' |'}`,
    `|---|---|${cols.map(() => '---').join('|')}|${extra ? '---|' : ''}`,
  ];
  const total = e.measured.map(() => 0);
  let totalExtra = 0;
  for (const w of e.plan) {
    const secs = e.measured.map((m) => plannedSeconds(w, m.cost.trainStepMs, m.cost.inferSliceMs));
    secs.forEach((s, i) => (total[i] += s));
    const x = extra ? extra(secs[0]) : 0;
    totalExtra += x;
    lines.push(`| ${w.stage} | ${w.trainSteps} steps + ${w.inferSlices} slices segmented (${w.basis}) | ${secs.map(duration).join(' | ')}${extra ? ` | ${duration(x)} |` : ' |'}`);
  }
  lines.push(`| total | | ${total.map(duration).join(' | ')}${extra ? ` | ${duration(totalExtra)} |` : ' |'}`);
  return lines.join('\n') + '\n';
}
