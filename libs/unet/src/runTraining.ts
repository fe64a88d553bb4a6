import { Interrupted, stopRequested, stopSignal } from '@covseg/io';
import { activateBackend, type BackendName } from '@covseg/tfjs-backend';
import type { TrainingSections } from './config.js';
import { trainUnet, type TrainResult } from './trainUnet.js';

export interface RunTrainingOptions {
  /** Shard store folder. */
  shards: string;
  /** Model folder (see trainUnet). */
  out: string;
  /** Model name recorded in unet.json (unet-a, unet-b). */
  name: string;
  sections: TrainingSections;
  /** tfjs backend to activate (auto = fastest that loads) and its thread count (0 = the backend's default). */
  backend: BackendName;
  threads: number;
  /** Continue from the newest checkpoint in `out`. */
  resume: boolean;
  /** A model folder whose weights start a new run. */
  initialWeights?: string;
  quiet?: boolean;
  log: (line: string) => void;
  /** How to continue after Ctrl-C / SIGTERM, said in the Interrupted error (default: rerun the same command). */
  resumeHint?: string;
}

/**
 * The body of `covseg train` and the pipeline's train stages: activates the backend and trains; an
 * interruption (the running step finished and a checkpoint was saved) is thrown as Interrupted.
 */
export async function runTraining(o: RunTrainingOptions): Promise<TrainResult> {
  const backend = await activateBackend(o.backend, o.log, o.threads);
  const r = await trainUnet({
    shards: o.shards, out: o.out, name: o.name, sections: o.sections, resume: o.resume, initialWeights: o.initialWeights,
    signal: stopSignal, backend, progress: !o.quiet, log: o.log,
  });
  if (r.status === 'interrupted') throw new Interrupted(stopRequested() ?? 'SIGINT', o.resumeHint);
  return r;
}
