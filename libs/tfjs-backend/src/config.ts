// The tfjs-free part of this lib: what config schemas and CLIs need without loading tfjs.

/** Backend names `--backend` accepts: `auto` (fastest that loads), then each backend, fastest first. */
export const BACKEND_NAMES = ['auto', 'tensorflow-gpu', 'tensorflow', 'webgpu', 'native-cpu', 'wasm', 'cpu'] as const;
/** A `--backend` value (includes `auto`). */
export type BackendName = (typeof BACKEND_NAMES)[number];
