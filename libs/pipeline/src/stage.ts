import type { CovsegConfig } from './configSchema.js';

/** What every stage gets: the run folder, the resolved config and its hash. */
export interface StageContext {
  runDir: string;
  config: CovsegConfig;
  configHash: string;
  quiet: boolean;
  log: (message: string) => void;
}

/** One pipeline stage: it reads `inputs(ctx)`, writes under DIR/<name>/, and may resume its own partial work. */
export interface Stage {
  name: string;
  /** One line for `--help` and logs. */
  describe: string;
  /** Files/folders whose content decides whether a completed stage is still valid. */
  inputs(ctx: StageContext): string[];
  /** Does the work; returns numbers worth recording in done.json. */
  run(ctx: StageContext): Promise<Record<string, unknown> | void>;
  /** When false for this config, the stage is skipped (e.g. import-corrections without corrections). */
  enabled?(ctx: StageContext): boolean;
}
