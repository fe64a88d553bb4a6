import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, writeFileAtomicSync, writeJsonAtomic } from '@covseg/io';
import type { CaseSample, SampleDraw } from './clusterCohort.js';

/** Where a scale-out worker leaves one case's sample: DIR/<case>.f32 (rows × channels, little-endian) + <case>.json. */
const files = (dir: string, id: string) => ({ rows: join(dir, `${id}.f32`), meta: join(dir, `${id}.json`) });

/** Writes one case's sample (rows first, then the JSON that marks it complete). */
export function writeCaseSample(dir: string, s: CaseSample): void {
  const f = files(dir, s.id);
  writeFileAtomicSync(f.rows, new Uint8Array(s.rows.buffer, s.rows.byteOffset, s.rows.byteLength));
  writeJsonAtomic(f.meta, { id: s.id, names: s.names, rows: s.rows.length / s.names.length, ...s.drawn, params: s.params });
}

/**
 * Reads the samples of `ids` in that order; a missing one (a worker that has not run) is an error naming it,
 * and so is one drawn with another seed or share than `expect` (a stale sample from an earlier configuration).
 */
export function readCaseSamples(dir: string, ids: readonly string[], expect?: SampleDraw): CaseSample[] {
  const samples = ids.map((id) => {
    const f = files(dir, id);
    if (!existsSync(f.meta)) throw new InputError(`no sample for case ${id}: run every 'covseg cluster --shard k/n' worker before --merge`, dir);
    const meta = JSON.parse(readFileSync(f.meta, 'utf8'));
    if (expect && (meta.seed !== expect.seed || meta.share !== expect.share)) {
      throw new InputError(`sample drawn with seed ${meta.seed}, ${meta.share} voxels per case; this fit wants seed ${expect.seed}, ${expect.share} per case: a stale sample — rerun the 'covseg cluster --shard k/n' workers with this configuration`, f.meta);
    }
    const buf = readFileSync(f.rows);
    const rows = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    if (rows.length !== meta.rows * meta.names.length) throw new InputError(`sample of case ${id} has ${rows.length} values, expected ${meta.rows}×${meta.names.length}`, f.rows);
    return { id, names: meta.names, rows, params: meta.params, drawn: meta.seed === undefined ? undefined : { seed: meta.seed, share: meta.share } };
  });
  // feature settings must agree (sigmasVoxels may differ: it follows each case's spacing when sigmaUnit is mm)
  const settings = (s: CaseSample) => JSON.stringify({ ...s.params, sigmasVoxels: undefined });
  const odd = samples.find((s) => settings(s) !== settings(samples[0]));
  if (odd) throw new InputError(`sample of case ${odd.id} was computed with other feature parameters than case ${samples[0].id}'s: rerun the 'covseg cluster --shard k/n' workers with one configuration`, dir);
  return samples;
}
