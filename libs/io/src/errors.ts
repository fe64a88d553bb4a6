/** An error about the user's input or environment: its message is one line naming what and where. */
export class InputError extends Error {
  constructor(message: string, readonly path?: string) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'InputError';
  }
}

/** Throws an InputError naming `path` when `cond` is false. */
export function ensure(cond: unknown, message: string, path?: string): asserts cond {
  if (!cond) throw new InputError(message, path);
}

/** Runs `fn`; an InputError it throws that names no file is re-thrown naming `path` (the input it was about). */
export function aboutFile<T>(path: string, fn: () => T): T {
  try {
    const r = fn();
    return r instanceof Promise ? (r.catch((e) => Promise.reject(namingFile(e, path))) as T) : r;
  } catch (e) {
    throw namingFile(e, path);
  }
}

const namingFile = (e: unknown, path: string) => (e instanceof InputError && e.path === undefined ? new InputError(e.message, path) : e);

/** Exit code of a command that processed some items but not all (0 all done, 1 none done). */
export const PARTIAL_FAILURE_EXIT = 3;

/** Exit code of a command over `total` items of which `failed` failed: 0, PARTIAL_FAILURE_EXIT, or 1 when every one failed. */
export function exitCodeFor(failed: number, total: number): number {
  return failed === 0 ? 0 : failed < total ? PARTIAL_FAILURE_EXIT : 1;
}
