import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** SHA-256 hex of a file, or of a folder: every file's relative path and bytes, in sorted order. */
export function checksumPath(path: string): string {
  const h = createHash('sha256');
  if (!statSync(path).isDirectory()) return h.update(readFileSync(path)).digest('hex');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(path);
  for (const f of files) h.update(relative(path, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}
