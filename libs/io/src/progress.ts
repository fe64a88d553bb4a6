import cliProgress from 'cli-progress';

/** A progress reporter: a bar with ETA on a TTY (stderr), one line per step otherwise unless quiet. */
export interface Progress {
  tick(label?: string): void;
  stop(): void;
}

/** Starts a progress bar for `total` steps of work named `title`. */
export function startProgress(title: string, total: number, opts: { quiet?: boolean } = {}): Progress {
  if (opts.quiet || total <= 0) return { tick() {}, stop() {} };
  if (!process.stderr.isTTY) {
    let done = 0;
    const t0 = Date.now();
    return {
      tick(label) {
        done++;
        const eta = ((Date.now() - t0) / done) * (total - done);
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
