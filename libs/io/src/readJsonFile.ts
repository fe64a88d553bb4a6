import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from './errors.js';

/** Parses the JSON file `path`; one that does not parse is an InputError `corrupt <file name>: <reason>` naming it. */
export function readJsonFile<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new InputError(`corrupt ${basename(path)}: ${(e as Error).message}`, path);
  }
}
