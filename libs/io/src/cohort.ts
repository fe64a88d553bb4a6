import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { InputError } from './errors.js';
import { isVolumeFile } from './readVolume.js';
import { looksLikeDicom } from './dicomSeries.js';
import type { SliceWindow } from './sliceCases.js';

/** One line of cohort.jsonl. */
export interface CohortCase {
  /** Derived id (phantom folder name, or a hash of the source path) — never a name or ID from a header. */
  id: string;
  /** Where the case came from (file or folder). */
  source: string;
  /** The readable canonical volume (NIfTI) once ingested; equals `source` for NIfTI inputs. */
  image?: string;
  /** Reference labels when the cohort has them (phantom label.nii.gz). */
  label?: string;
  shape?: [number, number, number];
  spacing?: [number, number, number];
  huRange?: [number, number];
  /** 2D pictures: the window that mapped gray values to HU (given, or estimated with its uncertainty). */
  window?: SliceWindow;
  /** 2D pictures: the original file's name and size in bytes. */
  original?: { name: string; bytes: number };
  status: 'ok' | 'error';
  error?: string;
}

/** A case id from a source path: `c` + 10 hex chars of its SHA-256 (stable, reveals nothing). */
export function hashedCaseId(source: string): string {
  return 'c' + createHash('sha256').update(resolve(source)).digest('hex').slice(0, 10);
}

/** A source found by scanning: a volume file or a DICOM folder, with an optional reference label. */
export interface CohortSource {
  id: string;
  source: string;
  label?: string;
}

/**
 * Finds the cases under the given inputs: volume files, DICOM series folders (one case per folder
 * holding DICOM files), and phantom-style case folders (<case>/image.nii.gz [+ label.nii.gz], id = folder name).
 */
export function scanCohortSources(inputs: string[]): CohortSource[] {
  const out: CohortSource[] = [];
  const visit = (p: string, top: boolean) => {
    if (!existsSync(p)) throw new InputError('no such file or folder', p);
    const st = statSync(p);
    if (st.isFile()) {
      if (isVolumeFile(p) || top) out.push({ id: hashedCaseId(p), source: p });
      return;
    }
    const entries = readdirSync(p).sort();
    if (entries.includes('image.nii.gz')) {
      const label = join(p, 'label.nii.gz');
      out.push({ id: basename(p), source: join(p, 'image.nii.gz'), ...(existsSync(label) ? { label } : {}) });
      return;
    }
    const files = entries.map((e) => join(p, e)).filter((e) => statSync(e).isFile());
    if (files.some((f) => looksLikeDicom(f) || /\.dcm$/i.test(f))) {
      out.push({ id: hashedCaseId(p), source: p });
      return;
    }
    for (const e of entries) {
      const q = join(p, e);
      if (statSync(q).isDirectory()) visit(q, false);
      else if (isVolumeFile(q)) out.push({ id: hashedCaseId(q), source: q });
    }
  };
  for (const i of inputs) visit(i, true);
  const seen = new Map<string, string>();
  for (const c of out) {
    const prev = seen.get(c.id);
    if (prev) throw new InputError(`two cases share the id ${c.id}: ${prev} and ${c.source}`);
    seen.set(c.id, c.source);
  }
  return out;
}

/** Reads a cohort: a cohort.jsonl written by `ingest`, or a folder holding one, or a folder scanned as `ingest` would. */
export function readCohort(path: string): CohortCase[] {
  const file = statSync(path).isDirectory() && existsSync(join(path, 'cohort.jsonl')) ? join(path, 'cohort.jsonl') : path;
  if (file.endsWith('.jsonl')) {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l, i) => {
        try {
          return JSON.parse(l) as CohortCase;
        } catch {
          throw new InputError(`line ${i + 1} is not JSON`, file);
        }
      });
  }
  return scanCohortSources([path]).map((s) => ({ ...s, image: isVolumeFile(s.source) ? s.source : undefined, status: 'ok' as const }));
}

/** The cases of a cohort that are usable (status ok), with a readable image path. */
export function usableCases(cases: CohortCase[]): (CohortCase & { image: string })[] {
  return cases.filter((c): c is CohortCase & { image: string } => c.status === 'ok' && !!(c.image ?? c.source)).map((c) => ({ ...c, image: c.image ?? c.source }));
}
