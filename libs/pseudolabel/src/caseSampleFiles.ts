import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, writeFileAtomicSync, writeJsonAtomic } from '@covseg/io';
import type { CaseSample } from './clusterCohort.js';

/** Where a scale-out worker leaves one case's sample: DIR/<case>.f32 (rows × channels, little-endian) + <case>.json. */
const files = (dir: string, id: string) => ({ rows: join(dir, `${id}.f32`), meta: join(dir, `${id}.json`) });

/** Writes one case's sample (rows first, then the JSON that marks it complete). */
export function writeCaseSample(dir: string, s: CaseSample): void {
  const f = files(dir, s.id);
  writeFileAtomicSync(f.rows, new Uint8Array(s.rows.buffer, s.rows.byteOffset, s.rows.byteLength));
  writeJsonAtomic(f.meta, { id: s.id, names: s.names, rows: s.rows.length / s.names.length, params: s.params });
}

/** Reads the samples of `ids` in that order; a missing one (a worker that has not run) is an error naming it. */
export function readCaseSamples(dir: string, ids: readonly string[]): CaseSample[] {
  return ids.map((id) => {
    const f = files(dir, id);
    if (!existsSync(f.meta)) throw new InputError(`no sample for case ${id}: run every 'covseg cluster --shard k/n' worker before --merge`, dir);
    const meta = JSON.parse(readFileSync(f.meta, 'utf8'));
    const buf = readFileSync(f.rows);
    const rows = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    if (rows.length !== meta.rows * meta.names.length) throw new InputError(`sample of case ${id} has ${rows.length} values, expected ${meta.rows}×${meta.names.length}`, f.rows);
    return { id, names: meta.names, rows, params: meta.params };
  });
}
