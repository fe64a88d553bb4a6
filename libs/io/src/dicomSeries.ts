import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import dcmjs from 'dcmjs';
import { decoderReason } from './libraryOutput.js';
import { dicomLengthProblem } from './dicomElementLengths.js';
import { InputError } from './errors.js';
import { checkSpacing, huInt16From } from './huValues.js';
import { decodeSlicesHu } from './dicomPixels.js';
import type { Volume } from './volume.js';

const { DicomMessage, DicomMetaDictionary } = (dcmjs as any).data;
// dcmjs logs what it tolerates in a damaged file ('Invalid vr type … using UN') straight to the console; covseg reports the file itself, in one line
(dcmjs as any).log?.setLevel?.('silent');
(dcmjs as any).log?.getLogger?.('validation.dcmjs')?.setLevel?.('silent'); // a child logger: the root's level does not reach it

/** The header fields of one DICOM image file that covseg uses (never patient identity). */
export interface DicomSlice {
  file: string;
  modality?: string;
  seriesUid: string;
  studyUid?: string;
  frameOfReferenceUid?: string;
  sopInstanceUid?: string;
  rows: number;
  columns: number;
  /** [row spacing (y), column spacing (x)] mm. */
  pixelSpacing: [number, number];
  /** Image Position (Patient), LPS mm. */
  position?: [number, number, number];
  /** Image Orientation (Patient): row cosines then column cosines. */
  orientation: [number, number, number, number, number, number];
  sliceThickness?: number;
  instanceNumber?: number;
  slope: number;
  intercept: number;
  hasRescale: boolean;
  bitsAllocated: number;
  pixelRepresentation: number;
  transferSyntax: string;
  pixelData?: ArrayBuffer;
}

/** True when the file starts with the DICOM preamble + "DICM" magic. */
export function looksLikeDicom(file: string): boolean {
  try {
    const buf = readFileSync(file, { flag: 'r' }).subarray(0, 132);
    return buf.length >= 132 && buf.toString('latin1', 128, 132) === 'DICM';
  } catch {
    return false;
  }
}

const nums = (v: unknown): number[] | undefined => (v === undefined || v === null ? undefined : (Array.isArray(v) ? v : [v]).map(Number));

/** Parses one DICOM file's header (and pixel data when `withPixels`); throws InputError naming the file when unreadable. */
export function readDicomSlice(file: string, withPixels = true): DicomSlice {
  let ds: any, meta: any;
  const buf = readFileSync(file);
  const truncated = pixelDataShortfall(buf);
  if (truncated > 0) throw new InputError(`truncated DICOM file: pixel data is ${truncated} bytes shorter than its header says`, file);
  const damaged = dicomLengthProblem(buf);
  if (damaged) throw new InputError(damaged, file);
  try {
    const msg = DicomMessage.readFile(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), { untilTag: withPixels ? undefined : '7FE00010' });
    ds = DicomMetaDictionary.naturalizeDataset(msg.dict);
    meta = DicomMetaDictionary.naturalizeDataset(msg.meta);
  } catch (e) {
    throw new InputError(`unreadable DICOM file (truncated or corrupt)${decoderReason(e)}`, file);
  }
  if (ds.Rows === undefined || ds.Columns === undefined) throw new InputError('DICOM file has no image (no Rows/Columns): truncated, or not an image object', file);
  if (![ds.Rows, ds.Columns].every((n) => Number.isInteger(Number(n)) && Number(n) > 0)) throw new InputError(`image size ${JSON.stringify(ds.Columns)}×${JSON.stringify(ds.Rows)} is not two positive integers (damaged Rows/Columns)`, file);
  const ps = nums(ds.PixelSpacing) ?? [1, 1];
  const iop = nums(ds.ImageOrientationPatient) ?? [1, 0, 0, 0, 1, 0];
  const ipp = nums(ds.ImagePositionPatient);
  const pixel = ds.PixelData;
  return {
    file,
    modality: ds.Modality,
    seriesUid: ds.SeriesInstanceUID ?? 'unknown-series',
    studyUid: ds.StudyInstanceUID,
    frameOfReferenceUid: ds.FrameOfReferenceUID,
    sopInstanceUid: ds.SOPInstanceUID,
    rows: Number(ds.Rows),
    columns: Number(ds.Columns),
    pixelSpacing: [ps[0], ps[1]],
    position: ipp && ipp.length === 3 ? [ipp[0], ipp[1], ipp[2]] : undefined,
    orientation: iop.slice(0, 6) as DicomSlice['orientation'],
    sliceThickness: ds.SliceThickness !== undefined ? Number(ds.SliceThickness) : undefined,
    instanceNumber: ds.InstanceNumber !== undefined ? Number(ds.InstanceNumber) : undefined,
    slope: ds.RescaleSlope !== undefined ? Number(ds.RescaleSlope) : 1,
    intercept: ds.RescaleIntercept !== undefined ? Number(ds.RescaleIntercept) : 0,
    hasRescale: ds.RescaleIntercept !== undefined || ds.RescaleSlope !== undefined,
    bitsAllocated: Number(ds.BitsAllocated ?? 16),
    pixelRepresentation: Number(ds.PixelRepresentation ?? 0),
    transferSyntax: meta.TransferSyntaxUID ?? '1.2.840.10008.1.2',
    pixelData: Array.isArray(pixel) ? pixel[0] : pixel,
  };
}

/**
 * Bytes missing at the end of the PixelData element (0 when complete or encapsulated), read from the raw
 * file because dcmjs silently zero-fills a truncated element.
 */
export function pixelDataShortfall(buf: Buffer): number {
  const tag = Buffer.from([0xe0, 0x7f, 0x10, 0x00]);
  const at = buf.indexOf(tag, 132);
  if (at < 0) return 0;
  const vr = buf.toString('latin1', at + 4, at + 6);
  const explicitLong = vr === 'OW' || vr === 'OB' || vr === 'UN';
  const lenAt = explicitLong ? at + 8 : at + 4;
  if (lenAt + 4 > buf.length) return 1;
  const len = buf.readUInt32LE(lenAt);
  if (len === 0xffffffff) return 0; // encapsulated (compressed) pixel data: fragments are checked by the decoder
  return Math.max(0, lenAt + 4 + len - buf.length);
}

/** Lists DICOM files under `dir` (recursively), skipping files without the DICM magic. */
export function listDicomFiles(dir: string): { dicom: string[]; skipped: string[] } {
  const dicom: string[] = [];
  const skipped: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (looksLikeDicom(p)) dicom.push(p);
      else if (st.size === 0 || /\.dcm$/i.test(e)) {
        // a .dcm that is empty or lacks the magic is a broken slice, not a stray file
        throw new InputError(st.size === 0 ? 'zero-byte DICOM file' : 'not a DICOM file (no DICM magic): truncated or corrupt', p);
      } else skipped.push(p);
    }
  };
  walk(dir);
  return { dicom, skipped };
}

/** Series found in a folder: UID → slices (headers only). */
export function groupSeries(slices: DicomSlice[]): Map<string, DicomSlice[]> {
  const m = new Map<string, DicomSlice[]>();
  for (const s of slices) {
    const list = m.get(s.seriesUid) ?? [];
    list.push(s);
    m.set(s.seriesUid, list);
  }
  return m;
}

export interface DicomReadOptions {
  /** SeriesInstanceUID to read when the folder holds several series (default: the one with most slices). */
  series?: string;
  /** Accept a single slice (2D image) as a 1-slice volume. */
  allow2D?: boolean;
  /** A gap larger than this × the median slice spacing is a missing slice. */
  maxGapRatio?: number;
}

/** Slice normal (row × column cosines). */
export function sliceNormal(o: DicomSlice['orientation']): [number, number, number] {
  return [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]];
}

/**
 * Reads a DICOM series folder into a Volume (HU, rescale applied, slices sorted by position along
 * the slice normal), uncompressed or compressed (transferSyntax.ts lists the syntaxes). Rejects with a
 * one-line InputError: corrupt/truncated files, unsupported transfer syntax, non-CT modality,
 * mixed sizes or orientations, missing slices, 2D input (unless allowed), non-HU values.
 */
export async function readDicomSeries(dir: string, opts: DicomReadOptions = {}): Promise<Volume & { seriesUid: string; files: string[] }> {
  const { dicom } = listDicomFiles(dir);
  if (dicom.length === 0) throw new InputError('no DICOM files found in folder', dir);
  const headers = dicom.map((f) => readDicomSlice(f, false));
  const groups = groupSeries(headers);
  let uid = opts.series;
  if (uid && !groups.has(uid)) throw new InputError(`series ${uid} not found (folder has ${groups.size} series)`, dir);
  if (!uid) {
    const bySize = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
    // two series of equal size (e.g. two reconstructions): no safe default
    if (bySize.length > 1 && bySize[0][1].length === bySize[1][1].length)
      throw new InputError(`folder holds ${groups.size} series, ${bySize[0][1].length} slices each for the largest two: choose one with --series (SeriesInstanceUID ${bySize[0][0]} or ${bySize[1][0]})`, dir);
    uid = bySize[0][0];
  }
  const series = groups.get(uid)!;
  const where = (s: DicomSlice) => relative(dir, s.file) || s.file;

  const first = series[0];
  for (const s of series) {
    if (s.modality && s.modality !== 'CT') throw new InputError(`modality is ${s.modality}, not CT`, s.file);
    if (s.rows !== first.rows || s.columns !== first.columns) {
      throw new InputError(`mixed image sizes in series: ${s.columns}×${s.rows} in ${where(s)} vs ${first.columns}×${first.rows} in ${where(first)}`, dir);
    }
    if (s.orientation.some((c, i) => Math.abs(c - first.orientation[i]) > 1e-3)) {
      throw new InputError(`mixed orientations in series: ${where(s)} differs from ${where(first)}`, dir);
    }
  }
  if (series.length < 2 && !opts.allow2D) {
    throw new InputError(`a single 2D image (${first.columns}×${first.rows}); a volume needs at least 2 slices (single slices: 2D mode, --2d or ingest.dimensions = '2d')`, series.length === 1 ? first.file : dir);
  }
  const normal = sliceNormal(first.orientation);
  const pos = (s: DicomSlice) => (s.position ? s.position[0] * normal[0] + s.position[1] * normal[1] + s.position[2] * normal[2] : (s.instanceNumber ?? 0));
  series.sort((a, b) => pos(a) - pos(b));
  let dz = first.sliceThickness ?? 1;
  if (series.length >= 2) {
    const gaps = series.slice(1).map((s, i) => pos(s) - pos(series[i]));
    const med = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)];
    const dup = gaps.findIndex((g) => g < 1e-4);
    if (dup >= 0) throw new InputError(`two slices at the same position (${where(series[dup])}, ${where(series[dup + 1])}): mixed or duplicated series`, dir);
    const ratio = opts.maxGapRatio ?? 1.5;
    const gi = gaps.findIndex((g) => g > ratio * med);
    if (gi >= 0) {
      throw new InputError(`missing slice: gap of ${gaps[gi].toFixed(2)} mm between ${where(series[gi])} and ${where(series[gi + 1])} (median spacing ${med.toFixed(2)} mm)`, dir);
    }
    dz = med;
  }
  checkSpacing([dz, first.pixelSpacing[0], first.pixelSpacing[1]], dir);
  const [rows, cols] = [first.rows, first.columns];
  const plane = rows * cols;
  const values = new Float32Array(plane * series.length);
  await decodeSlicesHu(series, plane, values, dir);
  // a header without modality or rescale (e.g. anonymised LIDC) is accepted: the negative-value check vouches for HU
  const data = huInt16From(values, dir, { requireNegative: true });
  const o = first.orientation;
  return {
    data,
    shape: [series.length, rows, cols],
    spacing: [dz, first.pixelSpacing[0], first.pixelSpacing[1]],
    // the first slice in position order (series is sorted now; `first` was the first file found)
    origin: series[0].position ?? [0, 0, 0],
    direction: [o[0], o[3], normal[0], o[1], o[4], normal[1], o[2], o[5], normal[2]],
    seriesUid: uid,
    files: series.map((s) => s.file),
  };
}
