import { selectBackend } from './backend/index.js';

/** Backend names `--backend` accepts: `auto` (fastest that loads), then each backend, fastest first. */
export const BACKEND_NAMES = ['auto', 'tensorflow-gpu', 'tensorflow', 'webgpu', 'native-cpu', 'wasm', 'cpu'] as const;
/** A `--backend` value (includes `auto`). */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Activates a tfjs backend through ./backend's selector (falls back down the list) and returns the name it got; threads 0 = the cores Node sees. */
export async function activateBackend(name: BackendName, log: (line: string) => void = () => {}, threads = 0): Promise<string> {
  return (await selectBackend(name, { log, threads })).name;
}
