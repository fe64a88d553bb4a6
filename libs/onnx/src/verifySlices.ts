import { existsSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { listDicomFiles, readDicomSeries, readDicomSlice } from '@covseg/io';
import type { ModelCard } from '@covseg/inference';
import { normalizeWindow, resizeBilinear } from '@covseg/unet';
import { syntheticCtSlice } from './syntheticSlice.js';

/** A batch of normalised slices, NCHW [n, 1, size, size]. */
export interface SliceBatch {
  images: Float32Array;
  n: number;
  size: number;
  names: string[];
}

/** Axial orientation within this tolerance of identity row/column cosines. */
const AXIAL_TOLERANCE = 0.05;
const isAxial = (o: readonly number[]) => [1, 0, 0, 0, 1, 0].every((v, i) => Math.abs(Math.abs(o[i]) - v) <= AXIAL_TOLERANCE);

/** Up to `count` real axial CT slices (HU) found under `dir`, in path order; [] when the folder is absent. */
export async function realAxialSlices(dir: string, count: number): Promise<{ name: string; hu: Int16Array; h: number; w: number }[]> {
  if (count === 0 || !existsSync(dir)) return [];
  const out: { name: string; hu: Int16Array; h: number; w: number }[] = [];
  for (const file of listDicomFiles(dir).dicom) {
    if (out.length >= count) break;
    if (!isAxial(readDicomSlice(file, false).orientation)) continue;
    const v = await readDicomSeries(dirname(file), { allow2D: true });
    out.push({ name: relative(dir, file), hu: v.data.subarray(0, v.shape[1] * v.shape[2]), h: v.shape[1], w: v.shape[2] });
  }
  return out;
}

/** The verification slices: `synthetic` phantom-like ones plus up to `real` DICOM slices from `realDir`, all resampled to size² and normalised with the card's window. */
export async function verificationSlices(card: ModelCard, size: number, opts: { synthetic: number; real: number; realDir: string; seed: number }): Promise<SliceBatch> {
  const slices: { name: string; image: Float32Array }[] = [];
  for (let i = 0; i < opts.synthetic; i++) slices.push({ name: `synthetic-${opts.seed + i}`, image: normalizeWindow(syntheticCtSlice(size, opts.seed + i), card.window) });
  for (const r of await realAxialSlices(opts.realDir, opts.real)) {
    // window first, then resize: the order libs/unet's predictSlices uses
    slices.push({ name: r.name, image: resizeBilinear(normalizeWindow(r.hu, card.window, undefined, r.name), r.h, r.w, size, size) });
  }
  const plane = size * size;
  const images = new Float32Array(slices.length * plane);
  slices.forEach((s, i) => images.set(s.image, i * plane));
  return { images, n: slices.length, size, names: slices.map((s) => s.name) };
}
