import { startProgress } from './progress.js';
import { Interrupted, throwIfStopRequested } from './interruption.js';

export interface CaseRun {
  /** Cases processed in this run. */
  processed: string[];
  /** Cases whose output already existed (resume). */
  reused: string[];
  /** Cases that failed, with the first line of their error; the others carry on. */
  failed: { id: string; error: string }[];
}

/**
 * Runs `work` on every case whose output is not there yet (`isDone`), with a progress bar; a failing
 * case is recorded and reported through `onError` without stopping the others. Resumable per case; a
 * requested stop throws Interrupted before the next case.
 */
export async function processCases<C extends { id: string }>(
  cases: readonly C[],
  opts: { title: string; quiet?: boolean; isDone: (c: C) => boolean; work: (c: C) => Promise<void>; onError?: (id: string, error: string) => void },
): Promise<CaseRun> {
  const run: CaseRun = { processed: [], reused: [], failed: [] };
  const progress = startProgress(opts.title, cases.length, { quiet: opts.quiet });
  try {
    for (const c of cases) {
      throwIfStopRequested(); // a stop (Ctrl-C, SIGTERM) waits for the running case: finished cases stay, a rerun does the rest
      if (opts.isDone(c)) run.reused.push(c.id);
      else {
        try {
          await opts.work(c);
          run.processed.push(c.id);
        } catch (e) {
          if (e instanceof Interrupted) throw e;
          const error = (e instanceof Error ? e.message : String(e)).split('\n')[0];
          run.failed.push({ id: c.id, error });
          opts.onError?.(c.id, error);
        }
      }
      progress.tick(c.id);
    }
  } finally {
    progress.stop();
  }
  return run;
}
