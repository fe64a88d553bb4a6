import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RUN_LOCK } from './runLock.js';

/** JSON with the keys of every object sorted: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(canon(value));
}

/** SHA-256 hex (64 digits) of a value's canonical JSON: the identity of a config. */
export function configHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** Every file under `dir` (recursive), in sorted path order; `skip` leaves out entries by name. */
function filesUnder(dir: string, skip: (name: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      if (skip(e)) continue;
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** SHA-256 hex of a file, or of a folder: every file's relative path and bytes, in sorted order (model provenance). */
export function checksumPath(path: string): string {
  const h = createHash('sha256');
  if (!statSync(path).isDirectory()) return h.update(readFileSync(path)).digest('hex');
  for (const f of filesUnder(path)) h.update(relative(path, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

/** Files above this size are identified by size + mtime instead of content (hashing GBs of shards is slow). */
const CONTENT_HASH_LIMIT = 64 * 2 ** 20;
/** Hex digits of a digest: enough to tell a stage's inputs apart. */
const DIGEST_HEX_DIGITS = 16;

/**
 * A quick digest of a file or folder (recursive), 16 hex digits, 'missing' when absent: content SHA-256
 * for files up to 64 MB, size + mtime beyond; half-written `.tmp-*` files and run locks are left out.
 */
export function digestPath(path: string): string {
  if (!existsSync(path)) return 'missing';
  const h = createHash('sha256');
  const add = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p).sort()) {
        if (e.startsWith('.tmp-') || e.startsWith(RUN_LOCK)) continue; // half-written files and a running worker's lock are not content
        h.update(`${relative(path, join(p, e))}\n`);
        add(join(p, e));
      }
    } else if (st.size > CONTENT_HASH_LIMIT) h.update(`${st.size}:${st.mtimeMs}`);
    else h.update(readFileSync(p));
  };
  add(path);
  return h.digest('hex').slice(0, DIGEST_HEX_DIGITS);
}
