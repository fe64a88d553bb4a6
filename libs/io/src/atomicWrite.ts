import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InputError } from './errors.js';

/**
 * Temp path beside `path` (same directory, so rename is atomic on one filesystem); it keeps the
 * file's extension because writers such as itk-wasm choose the format from it.
 */
export function tempPathFor(path: string): string {
  const tmp = join(dirname(path), `.tmp-${process.pid}-${randomBytes(4).toString('hex')}-${basename(path)}`);
  pendingTemps.add(tmp);
  return tmp;
}

/**
 * Temp paths handed out and not yet renamed or removed: removed when the process exits, so a run that
 * leaves through process.exit (a second Ctrl-C) leaves no half-written file. (A SIGKILL cannot be caught:
 * the stages clear `.tmp-*` files of earlier runs when they resume.)
 */
const pendingTemps = new Set<string>();
process.on('exit', () => {
  for (const t of pendingTemps) rmSync(t, { force: true, recursive: true });
});
/** The temp path is gone (renamed into place or removed). */
const settled = (tmp: string) => pendingTemps.delete(tmp);

/**
 * Runs `write(tmp)` and renames tmp onto `path`; on any error the temp file is removed and
 * an existing `path` is left untouched.
 */
export async function writeAtomic(path: string, write: (tmp: string) => Promise<void> | void): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await write(tmp);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true, recursive: true });
    throw writeFailure(e, path);
  } finally {
    settled(tmp);
  }
}

/** Writes bytes or text atomically (temp file + rename). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeFailure(e, path);
  } finally {
    settled(tmp);
  }
}

/**
 * A failed write as one line naming the file it was for: Node's ENOSPC from a write names neither the
 * file nor the cause in words ('ENOSPC: no space left on device, write'), others name the temp file.
 * Errors that already name their file (InputError) pass unchanged.
 */
export function writeFailure(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why = code === undefined || e instanceof InputError ? undefined : WRITE_ERRORS[code];
  return why ? new InputError(`write failed (${why}, ${code})`, path) : e;
}

const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: 'disk full', EDQUOT: 'disk quota exceeded', EFBIG: 'file too large', EROFS: 'read-only file system',
  EACCES: 'permission denied', EPERM: 'permission denied', EIO: 'I/O error',
};

/** Writes JSON (2-space indent, trailing newline) atomically. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomicSync(path, JSON.stringify(value, null, 2) + '\n');
}

/** Puts the finished folder `tmp` in place of `dir` by renames: an existing `dir` is moved aside first and removed after. */
export function replaceDirAtomic(tmp: string, dir: string): void {
  if (!existsSync(dir)) return renameSync(tmp, dir);
  const old = join(dirname(dir), `.old-${process.pid}-${basename(dir)}`);
  renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}
