import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  InputError, Interrupted, itemsOfShard, looksLikeDicom, readDicomSeries, throwIfStopRequested, readVolume, scanCohortSources, segmentationSourceFromFiles, writeFileAtomicSync, writeJsonAtomic,
  writeLabelVolume, writeSegmentationDicom, type ReadVolumeOptions, type SegmentationSource, type Volume, checksumPath, exitCodeFor } from '@covseg/io';
import { caseReport, type CaseReport } from './report/caseReport.js';
import { reportCsv } from './report/csv.js';
import type { PredictConfig } from './config.js';
import type { Segmenter } from './segmenter.js';
import { segmentVolume } from './segmentVolume.js';

/** File names inside a case's output folder (docs/run-layout.md). */
export const PREDICT_OUTPUTS = { labels: 'labels.nii.gz', dicom: 'dicom', seg: 'seg.dcm', report: 'report.json', csv: 'report.csv' } as const;

export interface PredictOptions {
  segmenter: Segmenter;
  /** Provenance written to report.json (engine: tfjs backend or onnxruntime). */
  model: CaseReport['model'];
  cfg: PredictConfig;
  keepIdentifiers?: boolean;
  /** Lung mask of a volume (1 = lung); without it the lung-mask rules are skipped. */
  lungMask?: (v: Volume) => Uint8Array | undefined | Promise<Uint8Array | undefined>;
  read?: ReadVolumeOptions;
  quiet?: boolean;
}

/** A CT volume, plus its DICOM source slices (in z order) when it came from a DICOM series. */
async function readCase(input: string, opts: ReadVolumeOptions): Promise<{ volume: Volume; dicomFiles?: string[] }> {
  const dicomDir = statSync(input).isDirectory() ? input : looksLikeDicom(input) || /\.dcm$/i.test(input) ? dirname(input) : undefined;
  if (!dicomDir) return { volume: await readVolume(input, opts) };
  const { seriesUid: _s, files, ...volume } = await readDicomSeries(dicomDir, opts);
  return { volume, dicomFiles: files };
}

/** Segments one CT (DICOM folder, NIfTI, NRRD, MHA) into outDir: labels.nii.gz, dicom/seg.dcm, report.json, report.csv. */
export async function predictCase(caseId: string, input: string, outDir: string, opts: PredictOptions): Promise<CaseReport> {
  const t0 = performance.now();
  const { volume, dicomFiles } = await readCase(input, opts.read ?? {});
  const inputSha = checksumPath(input);
  const lungMask = opts.lungMask ? await opts.lungMask(volume) : undefined;
  const read_s = (performance.now() - t0) / 1000;
  const seg = await segmentVolume(volume, opts.segmenter, {
    batchSize: opts.cfg.batchSize, testTimeFlip: opts.cfg.testTimeFlip, postprocess: opts.cfg.postprocess, connectivity: opts.cfg.report.connectivity, lungMask, quiet: opts.quiet, title: `segment ${caseId}`,
  });
  const tw = performance.now();
  await writeLabelVolume(join(outDir, PREDICT_OUTPUTS.labels), seg.labels);
  if (opts.cfg.dicom.enabled) {
    const source: SegmentationSource | undefined = dicomFiles ? segmentationSourceFromFiles(dicomFiles, opts.keepIdentifiers) : undefined;
    writeSegmentationDicom(join(outDir, PREDICT_OUTPUTS.dicom, PREDICT_OUTPUTS.seg), seg.labels, {
      uidSeed: `covseg:${inputSha}:${opts.model.sha256}`, source, keepIdentifiers: opts.keepIdentifiers,
      seriesNumber: opts.cfg.dicom.seriesNumber, seriesDescription: opts.cfg.dicom.seriesDescription, algorithmName: opts.model.name,
    });
  }
  const write_s = (performance.now() - tw) / 1000;
  const total_s = (performance.now() - t0) / 1000;
  const report = caseReport(caseId, seg.labels, opts.model, { path: resolve(input), sha256: inputSha }, {
    read_s, ...seg.timings, write_s, total_s, seconds_per_slice: (seg.timings.inference_s + seg.timings.processing_s) / volume.shape[0],
  }, { largestLesions: opts.cfg.report.largestLesions, connectivity: opts.cfg.report.connectivity, sliceConfidence: seg.sliceConfidence });
  writeJsonAtomic(join(outDir, PREDICT_OUTPUTS.report), report);
  writeFileAtomicSync(join(outDir, PREDICT_OUTPUTS.csv), reportCsv([report]));
  return report;
}

/** One case of a predict run: its report, or the one-line reason it failed. */
export interface PredictOutcome {
  id: string;
  source: string;
  outDir: string;
  report?: CaseReport;
  error?: string;
}

/** The cases of INPUT: itself when it is one CT (file, DICOM folder, phantom case folder), else every case found under it. */
export function predictInputsOf(input: string): { id: string; source: string; single: boolean }[] {
  if (!existsSync(input)) throw new InputError('no such file or folder', input);
  const sources = scanCohortSources([input]);
  const single = !statSync(input).isDirectory() || (sources.length === 1 && (sources[0].source === input || dirname(sources[0].source) === input));
  if (single) return [{ id: sources[0]?.id ?? basename(input), source: sources[0]?.source ?? input, single: true }];
  if (sources.length === 0) throw new InputError('no CT volume or DICOM series found in folder', input);
  return sources.map((s) => ({ id: s.id, source: s.source, single: false }));
}

export interface PredictCasesOptions extends PredictOptions {
  /** Reuse a case's outputs when an earlier run made them from the same input with the same model (resume, shard merge). */
  resume?: boolean;
  /** Record a failing case and go on with the next; without it the first failure is thrown. */
  onError?: (o: PredictOutcome) => void;
  /** Write outDir/report.csv of every segmented case at the end. */
  report?: boolean;
}

/**
 * The body of `covseg predict` (several cases) and of the pipeline's predict: segments each case into
 * outDir/<case>/ (labels.nii.gz, dicom/, report.json, report.csv), stopping between cases on Ctrl-C / SIGTERM.
 */
export async function predictCases(cases: readonly { id: string; source: string }[], outDir: string, opts: PredictCasesOptions): Promise<PredictOutcome[]> {
  const outcomes: PredictOutcome[] = [];
  for (const c of cases) {
    throwIfStopRequested(); // finished cases keep their outputs; a rerun skips them
    const dir = join(outDir, c.id);
    try {
      outcomes.push({ id: c.id, source: c.source, outDir: dir, report: (opts.resume && finishedReport(dir, c.source, opts.model.sha256)) || (await predictCase(c.id, c.source, dir, opts)) });
    } catch (e) {
      if (!opts.onError || e instanceof Interrupted) throw e;
      const o = { id: c.id, source: c.source, outDir: dir, error: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
      outcomes.push(o);
      opts.onError(o);
    }
  }
  if (opts.report) writeFileAtomicSync(join(outDir, PREDICT_OUTPUTS.csv), reportCsv(outcomes.flatMap((o) => (o.report ? [o.report] : []))));
  return outcomes;
}

/**
 * Segments every case of INPUT. One case → outputs in outDir; several → outDir/<case>/ each, plus
 * outDir/report.csv (all cases) and outDir/failed.json; a failing case is recorded and skipped.
 */
export async function predictAll(input: string, outDir: string, opts: PredictOptions & { onError?: (o: PredictOutcome) => void; shard?: { k: number; n: number } }): Promise<PredictOutcome[]> {
  const all = predictInputsOf(input);
  if (all[0].single) {
    const c = all[0];
    throwIfStopRequested();
    return [{ id: c.id, source: c.source, outDir, report: await predictCase(c.id, c.source, outDir, opts) }];
  }
  const shard = opts.shard ?? { k: 1, n: 1 };
  // a --shard worker leaves the folder-wide report to the unsharded run that merges (and reuses) every case
  const outcomes = await predictCases(itemsOfShard(all, shard), outDir, { ...opts, resume: true, onError: opts.onError ?? (() => {}), report: shard.n === 1 });
  if (shard.n === 1) writeJsonAtomic(join(outDir, 'failed.json'), outcomes.filter((o) => o.error).map(({ id, source, error }) => ({ id, source, error })));
  return outcomes;
}

/** The report of a case finished by an earlier run (resume, shard merge): its report.json when it was made from this input (checksum) by this model. */
function finishedReport(dir: string, source: string, modelSha256: string): CaseReport | undefined {
  const reportFile = join(dir, PREDICT_OUTPUTS.report);
  if (!existsSync(reportFile) || !existsSync(join(dir, PREDICT_OUTPUTS.labels))) return undefined;
  try {
    const r = JSON.parse(readFileSync(reportFile, 'utf8')) as CaseReport;
    return r.input?.path === resolve(source) && r.model?.sha256 === modelSha256 && r.input.sha256 === checksumPath(source) ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Exit status of a multi-case run: 0 all done, 3 partial failure (some cases failed), 1 every case failed. */
export function predictExitCode(outcomes: readonly PredictOutcome[]): number {
  return exitCodeFor(outcomes.filter((o) => o.error).length, outcomes.length);
}
