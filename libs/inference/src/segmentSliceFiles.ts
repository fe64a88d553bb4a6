import { join } from 'node:path';
import { PNG } from 'pngjs';
import { sliceCaseReader, scanSliceSources, startProgress, writeFileAtomicSync, InputError, type IngestConfig, type SliceWindow, LABEL } from '@covseg/io';
import { lungMask, type LungmaskConfig } from '@covseg/features';
import type { PredictConfig } from './config.js';
import type { Segmenter } from './segmenter.js';
import { segmentVolume } from './segmentVolume.js';

/** Columns of a slice run's report.csv (one row per image; areas in pixels and cm²). */
export const SLICE_CSV_COLUMNS = [
  'image', 'source', 'width', 'height', 'window', 'window_low', 'window_high', 'lung_px', 'ggo_px', 'consolidation_px', 'vessels_px',
  'lung_cm2', 'lesion_pct_of_lung', 'ggo_pct_of_lung', 'consolidation_pct_of_lung', 'lung_mask', 'seconds',
] as const;

/** One image of a slice run: its report row, or the one-line reason it failed. */
export interface SliceOutcome {
  id: string;
  source: string;
  png?: string;
  row?: Record<(typeof SLICE_CSV_COLUMNS)[number], string | number>;
  error?: string;
}

export interface SegmentSliceFilesOptions {
  segmenter: Segmenter;
  cfg: PredictConfig;
  /** How slices are found and turned into HU (window for pictures, include pattern, picture spacing). */
  ingest: Pick<IngestConfig, 'include' | 'window' | 'autoWindowScope' | 'imageSpacingMm' | 'autoWindow' | 'minHu'>;
  /** Crop-tolerant 2D lung mask settings (labels outside the lungs → 0 per predict.postprocess); null = none. */
  lungmask: LungmaskConfig | null;
  quiet?: boolean;
  onError?: (o: SliceOutcome) => void;
  /** Told when a picture falls back to its folder's pooled window. */
  onNote?: (file: string, note: string) => void;
}

/** A label map as an 8-bit grayscale PNG whose pixel values are the labels 0–4. */
export function labelMapPng(labels: Uint8Array, width: number, height: number): Buffer {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false } as ConstructorParameters<typeof PNG>[0]);
  png.data = Buffer.from(labels);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false } as Parameters<typeof PNG.sync.write>[1]);
}

const windowColumns = (w: SliceWindow) => (w.kind === 'hu' ? ['hu', '', ''] : [w.kind, w.low, w.high]);

/**
 * `covseg predict` on slices: every DICOM file / PNG / JPG under INPUT is segmented on its own; writes
 * OUT/<image>.png (labels 0–4, the input's size) and OUT/report.csv; a failing image is recorded and skipped.
 */
export async function segmentSliceFiles(input: string, outDir: string, opts: SegmentSliceFilesOptions): Promise<SliceOutcome[]> {
  const sources = scanSliceSources([input], opts.ingest.include);
  if (!sources.length) throw new InputError('no DICOM slice, PNG or JPG found', input);
  const readSlice = sliceCaseReader(sources.map((s) => s.source), opts.ingest, opts.onNote);
  const progress = startProgress('predict slices', sources.length, opts);
  const outcomes: SliceOutcome[] = [];
  for (const s of sources) {
    const t0 = performance.now();
    try {
      const { volume, window } = await readSlice(s.source);
      const [, ny, nx] = volume.shape;
      let mask: Uint8Array | undefined;
      if (opts.lungmask) {
        try {
          mask = lungMask(volume, opts.lungmask).data;
        } catch {
          mask = undefined; // no lungs found: labels stay unmasked rather than erased
        }
      }
      const seg = await segmentVolume(volume, opts.segmenter, { batchSize: opts.cfg.batchSize, testTimeFlip: opts.cfg.testTimeFlip, postprocess: opts.cfg.postprocess, connectivity: opts.cfg.report.connectivity, lungMask: mask, quiet: true });
      const png = join(outDir, `${s.id}.png`);
      writeFileAtomicSync(png, labelMapPng(seg.labels.data, nx, ny));
      const count = new Array(5).fill(0);
      for (const v of seg.labels.data) count[v]++;
      const lung = count[LABEL.lung] + count[LABEL.ggo] + count[LABEL.consolidation] + count[LABEL.vessels];
      const pct = (n: number) => (lung ? +((100 * n) / lung).toFixed(3) : 0);
      const [kind, lo, hi] = windowColumns(window);
      outcomes.push({
        id: s.id, source: s.source, png,
        row: {
          image: s.id, source: s.source, width: nx, height: ny, window: kind, window_low: lo, window_high: hi,
          lung_px: lung, ggo_px: count[LABEL.ggo], consolidation_px: count[LABEL.consolidation], vessels_px: count[LABEL.vessels],
          lung_cm2: +((lung * volume.spacing[1] * volume.spacing[2]) / 100).toFixed(3), lesion_pct_of_lung: pct(count[LABEL.ggo] + count[LABEL.consolidation]),
          ggo_pct_of_lung: pct(count[LABEL.ggo]), consolidation_pct_of_lung: pct(count[LABEL.consolidation]),
          lung_mask: mask ? 'yes' : 'no', seconds: +((performance.now() - t0) / 1000).toFixed(3),
        },
      });
    } catch (e) {
      const o = { id: s.id, source: s.source, error: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
      outcomes.push(o);
      opts.onError?.(o);
    }
    progress.tick(s.id);
  }
  progress.stop();
  const cell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const rows = outcomes.flatMap((o) => (o.row ? [SLICE_CSV_COLUMNS.map((c) => cell(o.row![c])).join(',')] : []));
  writeFileAtomicSync(join(outDir, 'report.csv'), [SLICE_CSV_COLUMNS.join(','), ...rows].join('\n') + '\n');
  return outcomes;
}
