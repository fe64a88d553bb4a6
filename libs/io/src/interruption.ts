/** The signals covseg stops politely on, with the exit code a shell expects (128 + signal number). */
export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/** Thrown at the next safe point after a stop was requested: the work done so far is kept, a rerun resumes. */
export class Interrupted extends Error {
  constructor(readonly signal: StopSignal, resume = 'rerun the same command to resume') {
    super(`interrupted by ${signal}; finished work is kept, ${resume}`);
    this.name = 'Interrupted';
  }
  /** 130 for SIGINT (Ctrl-C), 143 for SIGTERM. */
  get exitCode(): number {
    return STOP_SIGNALS[this.signal];
  }
}

const controller = new AbortController();
let requested: StopSignal | null = null;

/** Aborted when a stop is requested (for loops that take an AbortSignal, e.g. training). */
export const stopSignal: AbortSignal = controller.signal;

/** The signal that asked covseg to stop, or null. */
export const stopRequested = (): StopSignal | null => requested;

/** Throws Interrupted when a stop was requested: called between cases, steps and files. */
export function throwIfStopRequested(): void {
  if (requested) throw new Interrupted(requested);
}

/** Marks a stop as requested (what the signal handlers do; tests call it directly). */
export function requestStop(signal: StopSignal): void {
  requested ??= signal;
  controller.abort();
}

let installed = false;

/**
 * Installs the SIGINT/SIGTERM handlers of a command-line run: the first signal requests a stop (the running
 * step finishes, outputs stay consistent, temp files go), a second one exits at once with the same code
 * (exit handlers still remove temp files and locks). `say` prints the one notice line.
 */
export function installStopHandlers(say: (line: string) => void): void {
  if (installed) return;
  installed = true;
  for (const sig of Object.keys(STOP_SIGNALS) as StopSignal[]) {
    process.on(sig, () => {
      if (requested) process.exit(STOP_SIGNALS[requested]);
      say(`${sig} received: stopping after the current step (again to quit at once)`);
      requestStop(sig);
    });
  }
}
