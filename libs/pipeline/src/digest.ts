import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RUN_LOCK } from '@covseg/io';

/** Files above this size are identified by size + mtime instead of content (hashing GBs of shards is slow). */
const CONTENT_HASH_LIMIT = 64 * 2 ** 20;

/** A digest of a file or folder (recursive): content SHA-256 for files up to 64 MB, size+mtime beyond. */
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
  return h.digest('hex').slice(0, 16);
}
