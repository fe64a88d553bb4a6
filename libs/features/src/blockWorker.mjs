// Worker bootstrap in plain JS: registers tsx in this thread, then loads the TypeScript worker.
// (`execArgv: ['--import', 'tsx']` is not enough on Node 20 inside test runners.)
import { tsImport } from 'tsx/esm/api';

await tsImport('./blockWorker.ts', import.meta.url);
