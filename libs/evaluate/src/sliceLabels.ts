import { readFileSync } from 'node:fs';
import { InputError } from '@covseg/io';

/** Lobes of the COVID-CT-MD lobe labels (left lower/upper, right lower/middle/upper). */
export const LOBES = ['LLL', 'LUL', 'RLL', 'RML', 'RUL'] as const;
export type Lobe = (typeof LOBES)[number];
/** The lung side of a lobe (L… = patient's left). */
export const sideOfLobe = (lobe: Lobe): 'left' | 'right' => (lobe[0] === 'L' ? 'left' : 'right');

/** One radiologist-labelled slice. */
export interface SliceLabel {
  /** Slice position along the patient's S axis (DICOM SliceLocation / ImagePositionPatient z), mm. */
  locationMm: number;
  /** 1 when the radiologists saw infection on the slice. */
  infection: 0 | 1;
  /** Per lobe: 1 = infected on this slice; absent when the CSV has no lobe columns. */
  lobes: Partial<Record<Lobe, 0 | 1>>;
}

const REQUIRED = ['slice_location_mm', 'infection'] as const;

/**
 * Reads a slice-label CSV (header with at least slice_location_mm and infection, optional lobe columns
 * LLL, LUL, RLL, RML, RUL; values 0/1), as COVID-CT-MD's labels in ../shared/data. One-line InputError on any problem.
 */
export function readSliceLabels(file: string): SliceLabel[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError('cannot read the slice-label CSV', file);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new InputError('slice-label CSV has no rows', file);
  const header = lines[0].split(',').map((h) => h.trim());
  for (const r of REQUIRED) if (!header.includes(r)) throw new InputError(`slice-label CSV lacks the column '${r}' (has ${header.join(', ')})`, file);
  const col = (name: string) => header.indexOf(name);
  const lobes = LOBES.filter((l) => header.includes(l));
  const flag = (v: string | undefined, what: string, row: number): 0 | 1 => {
    if (v?.trim() === '0') return 0;
    if (v?.trim() === '1') return 1;
    throw new InputError(`row ${row}: ${what} is '${v ?? ''}', expected 0 or 1`, file);
  };
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    const row = i + 2;
    if (cells.length !== header.length) throw new InputError(`row ${row} has ${cells.length} fields, the header ${header.length}`, file);
    const locationMm = Number(cells[col('slice_location_mm')]);
    if (!Number.isFinite(locationMm)) throw new InputError(`row ${row}: slice_location_mm '${cells[col('slice_location_mm')]}' is not a number`, file);
    return {
      locationMm,
      infection: flag(cells[col('infection')], 'infection', row),
      lobes: Object.fromEntries(lobes.map((l) => [l, flag(cells[col(l)], l, row)])),
    };
  });
}
