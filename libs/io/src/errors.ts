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
