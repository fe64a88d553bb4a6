import cliProgress from 'cli-progress';

/** A progress reporter: a bar with ETA on a TTY (stderr); in logs (no TTY) a line every `LOG_EVERY_MS` and at the end. */
export interface Progress {
  tick(label?: string): void;
  stop(): void;
}

/** Least time between two progress lines in a log (no TTY): a line per step would flood CI logs. */
export const LOG_EVERY_MS = 5000;

/** Starts a progress bar for `total` steps of work named `title`. */
export function startProgress(title: string, total: number, opts: { quiet?: boolean } = {}): Progress {
  if (opts.quiet || total <= 0) return { tick() {}, stop() {} };
  if (!process.stderr.isTTY) {
    let done = 0;
    const t0 = Date.now();
    let last = t0;
    return {
      tick(label) {
        done++;
        const now = Date.now();
        if (now - last < LOG_EVERY_MS && done < total) return;
        last = now;
        const eta = ((now - t0) / done) * (total - done);
        process.stderr.write(`${title}: ${done}/${total}${label ? ` ${label}` : ''} (ETA ${Math.round(eta / 1000)} s)\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${title} [{bar}] {value}/{total} | {percentage}% | ETA {eta_formatted} | {label}`, stream: process.stderr, hideCursor: true, etaBuffer: 20 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return { tick: (label) => bar.increment(1, { label: label ?? '' }), stop: () => bar.stop() };
}

/** A training-step progress bar: steps done of a total, the current loss and the time left. */
export interface StepProgress {
  start(total: number, start: number, label: string): void;
  update(value: number, loss: number): void;
  stop(): void;
}

/** A step bar with ETA and current loss (cli-progress on stderr), or a no-op when disabled or not a TTY. */
export function startStepProgress(enabled: boolean): StepProgress {
  if (!enabled || !process.stderr.isTTY) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{label} |{bar}| {value}/{total} steps | loss {loss} | {eta_formatted} left', hideCursor: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total, start, label) => bar.start(total, start, { label, loss: '-' }),
    update: (value, loss) => bar.update(value, { loss: loss.toFixed(4) }),
    stop: () => bar.stop(),
  };
}
