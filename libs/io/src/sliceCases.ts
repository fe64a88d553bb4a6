import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from './errors.js';
import { hashedCaseId, type CohortSource } from './cohort.js';
import { looksLikeDicom, readDicomSlice, sliceNormal } from './dicomSeries.js';
import { decodeSlicesHu } from './dicomPixels.js';
import { isGrayImageFile, readGrayImage } from './grayImage.js';
import { checkSpacing, huInt16From } from './huValues.js';
import { readVolume, isVolumeFile } from './readVolume.js';
import { estimateWindow, WindowNotFoundError, type WindowEstimate } from './estimateWindow.js';
import { poolWindowEstimates, type PooledWindow } from './poolWindowEstimates.js';
import { grayToHu, type HuWindow } from './window.js';
import type { IngestConfig } from './config.js';
import { IDENTITY_DIRECTION, type Volume } from './volume.js';

/** How a 2D case's HU were obtained: from the file (DICOM/NIfTI), a given window, or an estimated one. */
export type SliceWindow =
  | { kind: 'hu' }
  | ({ kind: 'given' } & HuWindow)
  | ({ kind: 'auto' } & WindowEstimate)
  | ({ kind: 'auto-folder' } & PooledWindow & { own?: WindowEstimate; fallback?: string });

/** The case id of a picture: its file stem, made filename-safe (so `<stem>.png` predictions pair with `<stem>.png` masks). */
export const pictureCaseId = (file: string) => basename(file).replace(/\.(png|jpe?g)$/i, '').replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * 2D mode: every DICOM file, PNG/JPG picture or 1-slice volume file under the inputs is its own case, in sorted
 * path order. DICOM ids are hashes of the path (never header values); picture ids are their stems (hashed on a clash,
 * compared case-insensitively).
 */
export function scanSliceSources(inputs: readonly string[], include: string | null = null): CohortSource[] {
  const files: string[] = [];
  const visit = (p: string) => {
    if (!existsSync(p)) throw new InputError('no such file or folder', p);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p).sort()) visit(join(p, e));
    else if (isGrayImageFile(p) || isVolumeFile(p) || /\.dcm$/i.test(p) || looksLikeDicom(p)) files.push(p);
  };
  for (const i of inputs) visit(i);
  const pattern = include ? new RegExp(include) : null;
  const kept = pattern ? files.filter((f) => pattern.test(f)) : files;
  // stems compared case-insensitively (A.png and a.jpg would share one output file on macOS/Windows); a clash, or a
  // stem that does not start with a letter or digit (".png"), falls back to the hashed id
  const key = (f: string) => pictureCaseId(f).toLowerCase();
  const stems = new Map<string, number>();
  for (const f of kept) if (isGrayImageFile(f)) stems.set(key(f), (stems.get(key(f)) ?? 0) + 1);
  const ownStem = (f: string) => isGrayImageFile(f) && stems.get(key(f)) === 1 && /^[A-Za-z0-9]/.test(pictureCaseId(f));
  return kept.map((f) => ({ id: ownStem(f) ? pictureCaseId(f) : hashedCaseId(f), source: f }));
}

/** One DICOM file as a 1-slice HU volume: rescale applied, padding below `minHu` clamped to it. */
async function readDicomFileSlice(file: string, minHu: number): Promise<Volume> {
  const s = readDicomSlice(file, false);
  if (s.modality && s.modality !== 'CT') throw new InputError(`modality is ${s.modality}, not CT`, file);
  const values = new Float32Array(s.rows * s.columns);
  await decodeSlicesHu([s], values.length, values, file);
  const data = huInt16From(values, file, { requireNegative: true });
  for (let i = 0; i < data.length; i++) if (data[i] < minHu) data[i] = minHu;
  checkSpacing([s.sliceThickness && s.sliceThickness > 0 ? s.sliceThickness : 1, ...s.pixelSpacing], file);
  const o = s.orientation;
  const normal = sliceNormal(o);
  return {
    data, shape: [1, s.rows, s.columns], spacing: [s.sliceThickness && s.sliceThickness > 0 ? s.sliceThickness : 1, s.pixelSpacing[0], s.pixelSpacing[1]],
    origin: s.position ?? [0, 0, 0], direction: [o[0], o[3], normal[0], o[1], o[4], normal[1], o[2], o[5], normal[2]],
  };
}

/** An 8-bit picture as a 1-slice HU volume through a given or estimated window (cfg.window). */
function readPictureSlice(file: string, cfg: Pick<IngestConfig, 'window' | 'imageSpacingMm' | 'autoWindow'>): { volume: Volume; window: SliceWindow } {
  if (cfg.window === null) throw new InputError("an 8-bit picture carries no HU: set a window (--window LO,HI or --window auto; config ingest.window)", file);
  const img = readGrayImage(file);
  const window: SliceWindow = cfg.window === 'auto' ? { kind: 'auto', ...estimateWindow(img.data, img.width, img.height, cfg.autoWindow, file) } : { kind: 'given', low: cfg.window[0], high: cfg.window[1] };
  const volume: Volume = { data: grayToHu(img.data, window), shape: [1, img.height, img.width], spacing: [1, ...cfg.imageSpacingMm], origin: [0, 0, 0], direction: [...IDENTITY_DIRECTION] };
  return { volume, window };
}

/** Reads one 2D case (DICOM file, PNG/JPG picture, or 1-slice volume file) as a [1, ny, nx] HU volume. */
export async function readSliceCase(file: string, cfg: Pick<IngestConfig, 'window' | 'imageSpacingMm' | 'autoWindow' | 'minHu'>): Promise<{ volume: Volume; window: SliceWindow }> {
  if (!existsSync(file)) throw new InputError('no such file', file);
  if (isGrayImageFile(file)) return readPictureSlice(file, cfg);
  if (isVolumeFile(file)) {
    const volume = await readVolume(file, { allow2D: true });
    if (volume.shape[0] !== 1) throw new InputError(`2D mode: a volume of ${volume.shape[0]} slices (use ingest.dimensions '3d' for volumes)`, file);
    return { volume, window: { kind: 'hu' } };
  }
  return { volume: await readDicomFileSlice(file, cfg.minHu), window: { kind: 'hu' } };
}

/** The window pooled over a folder's pictures, and each picture's own estimate (HU). */
export interface FolderWindow {
  pooled: PooledWindow;
  own: Map<string, WindowEstimate>;
}

/**
 * `autoWindowScope: 'folder'`: one pooled window per folder of pictures (poolWindowEstimates over the pictures
 * whose estimate succeeds), keyed by folder path; pictures keep their own estimate for the record.
 */
export function folderWindows(files: readonly string[], cfg: Pick<IngestConfig, 'autoWindow'>): Map<string, FolderWindow> {
  const byDir = new Map<string, string[]>();
  for (const f of files.filter(isGrayImageFile)) byDir.set(dirname(f), [...(byDir.get(dirname(f)) ?? []), f]);
  const out = new Map<string, FolderWindow>();
  for (const [dir, pics] of byDir) {
    const own = new Map<string, WindowEstimate>();
    for (const f of pics) {
      try {
        const img = readGrayImage(f);
        own.set(f, estimateWindow(img.data, img.width, img.height, cfg.autoWindow, f));
      } catch {
        // an unreadable or peak-less picture gets its own error when it is read
      }
    }
    if (own.size) out.set(dir, { pooled: poolWindowEstimates([...own.values()]), own });
  }
  return out;
}

/**
 * A reader for the 2D cases among `files` that applies the ingest settings, including a window pooled per
 * folder (`window: 'auto'`, `autoWindowScope: 'folder'`), estimated once for all the files up front. With
 * `autoWindowScope: 'picture'`, a picture whose own window cannot be estimated falls back to its folder's
 * pooled window (`fallback` records why; `onNote` is told) instead of failing.
 */
export function sliceCaseReader(files: readonly string[], cfg: Pick<IngestConfig, 'window' | 'autoWindowScope' | 'imageSpacingMm' | 'autoWindow' | 'minHu'>, onNote?: (file: string, note: string) => void): (file: string) => Promise<{ volume: Volume; window: SliceWindow }> {
  const pooled = cfg.window === 'auto' && cfg.autoWindowScope === 'folder' ? folderWindows(files, cfg) : undefined;
  let fallbacks: Map<string, FolderWindow> | undefined;
  const readPooled = async (file: string, folder: FolderWindow, fallback?: string) => {
    const read = await readSliceCase(file, { ...cfg, window: [folder.pooled.low, folder.pooled.high] });
    return { volume: read.volume, window: read.window.kind === 'given' ? { kind: 'auto-folder' as const, ...folder.pooled, own: folder.own.get(file), ...(fallback ? { fallback } : {}) } : read.window };
  };
  return async (file) => {
    const folder = pooled?.get(dirname(file));
    if (folder) return readPooled(file, folder);
    try {
      return await readSliceCase(file, cfg);
    } catch (e) {
      if (!(e instanceof WindowNotFoundError)) throw e;
      fallbacks ??= folderWindows(files, cfg); // only when a picture needs it: estimating every picture costs time
      const own = fallbacks.get(dirname(file));
      if (!own) throw e;
      const reason = e.message.replace(`${file}: `, '');
      onNote?.(file, `no window of its own (${reason.replace(/; pass --window LO,HI$/, '')}); used the folder's pooled window [${own.pooled.low}, ${own.pooled.high}] HU from ${own.own.size} picture(s)`);
      return readPooled(file, own, reason);
    }
  };
}
