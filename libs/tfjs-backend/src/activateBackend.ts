import { selectBackend } from './selectBackend.js';

import type { BackendName } from './config.js';

/** Activates a tfjs backend through ./backend's selector (falls back down the list) and returns the name it got; threads 0 = the cores Node sees. */
export async function activateBackend(name: BackendName, log: (line: string) => void = () => {}, threads = 0): Promise<string> {
  return (await selectBackend(name, { log, threads })).name;
}
