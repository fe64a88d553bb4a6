import cliProgress from 'cli-progress';

/** Minimal progress reporter: a cli-progress bar on stderr when it is a TTY, silent otherwise. */
export interface Progress {
  start(total: number, start: number, label: string): void;
  update(value: number, loss: number): void;
  stop(): void;
}

/** A progress bar with ETA and current loss (cli-progress on stderr), or a no-op when disabled or not a TTY. */
export function progressBar(enabled: boolean): Progress {
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
