import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfigSection, ingestCohort, writeDicomSeries } from '@covseg/io';
import { PredictConfig } from './config.js';
import { predictCase } from './predictCase.js';
import { boxPhantom, truthSegmenter } from './testing/testVolumes.js';

const NAME = 'SENTINEL^PATIENTNAME';
const ID = 'SENTINEL-ID-4242';

/** Every file under dir whose bytes contain `text`. */
function filesContaining(dir: string, text: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (readFileSync(p).includes(Buffer.from(text.split('^')[0]))) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}

describe('patient identity from DICOM headers', () => {
  it('never reaches logs, cohort.jsonl, NIfTI, reports or the DICOM SEG (unless --keep-identifiers)', async () => {
    const { image, label } = boxPhantom();
    const dir = mkdtempSync(join(tmpdir(), 'covseg-identity-'));
    writeDicomSeries(join(dir, 'in', 'series'), image, { uidSeed: 'identity', patientName: NAME, patientId: ID });
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    (process.stderr as any).write = (s: string) => (stderr.push(String(s)), true);
    try {
      const cases = await ingestCohort([join(dir, 'in')], join(dir, 'ingest'));
      expect(cases[0].status).toBe('ok');
      const cfg = PredictConfig.parse(defaultConfigSection('predict'));
      const model = { name: 'truth', engine: 'test', path: 'none', sha256: '0' };
      await predictCase(cases[0].id, join(dir, 'in', 'series'), join(dir, 'out'), { segmenter: truthSegmenter(label), model, cfg, quiet: false });
      await predictCase(cases[0].id, join(dir, 'in', 'series'), join(dir, 'kept'), { segmenter: truthSegmenter(label), model, cfg, keepIdentifiers: true, quiet: true });
    } finally {
      (process.stderr as any).write = write;
    }
    for (const t of [NAME, ID]) {
      expect(stderr.join('')).not.toContain(t.split('^')[0]);
      expect(filesContaining(join(dir, 'ingest'), t)).toEqual([]);
      expect(filesContaining(join(dir, 'out'), t)).toEqual([]);
    }
    // the check can fail: with --keep-identifiers the SEG carries them
    expect(filesContaining(join(dir, 'kept'), ID).length).toBeGreaterThan(0);
  });
});
