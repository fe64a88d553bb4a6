import { existsSync, statSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { groupSeries, listDicomFiles, looksLikeDicom, readDicomSlice } from './dicomSeries.js';

/**
 * What `readDicomSeries` does quietly in a DICOM folder, as notes for the user (empty when nothing):
 * files without the DICOM magic that it skipped (README.txt, .DS_Store, …) and, when the folder holds
 * several series, which one it read (the one with most slices, or `series`) and which it left out.
 * `input` is what a command was given: a DICOM folder or one of its files (anything else: no notes).
 * Call it after the volume was read (it reads the headers again, without pixel data).
 */
export function dicomFolderNotes(input: string, opts: { series?: string } = {}): string[] {
  if (!existsSync(input)) return [];
  const dir = statSync(input).isDirectory() ? input : looksLikeDicom(input) || /\.dcm$/i.test(input) ? dirname(input) : undefined;
  if (!dir) return [];
  const { dicom, skipped } = listDicomFiles(dir);
  const notes: string[] = [];
  const name = (f: string) => relative(dir, f) || f;
  if (skipped.length) {
    const shown = skipped.slice(0, 3).map(name).join(', ');
    notes.push(`skipped ${skipped.length} file(s) that are not DICOM (${shown}${skipped.length > 3 ? ', …' : ''})`);
  }
  const groups = [...groupSeries(dicom.map((f) => readDicomSlice(f, false)))].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  if (groups.length > 1) {
    const [uid, slices] = opts.series ? groups.find(([u]) => u === opts.series) ?? groups[0] : groups[0];
    const others = groups.filter(([u]) => u !== uid).map(([u, s]) => `${u} (${s.length} slice(s))`);
    notes.push(`folder holds ${groups.length} series: read ${uid} (${slices.length} slices${opts.series ? ', as asked' : ', the largest'}), ignored ${others.join(', ')}; choose another with --series`);
  }
  return notes;
}
