import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, isVolumeFile, readLabelVolume, sameGrid, voxelVolumeMm3, writeJsonAtomic } from '@covseg/io';
import type { EvaluateConfig } from './config.js';
import { classesOfMap, mapReference, meanSd, overlapScores, pooledDice, type ClassScores, type EvalClass, type ValueMap } from './overlap.js';
import { readLabelPng } from './readLabelPng.js';
import { addToConfusion, confusionRowPct, emptyConfusion, type ConfusionMatrix } from './confusion.js';
import { confusionMarkdown, confusionTable } from './confusionTables.js';

/** A label map read for evaluation (3D volume, or a 2D PNG as one slice). */
export interface LabelMap {
  data: Uint8Array;
  shape: [number, number, number];
  voxelMm3: number;
  spacingKnown: boolean;
  geometry?: Parameters<typeof sameGrid>[0];
}

const isPng = (p: string) => /\.png$/i.test(p);
/** File names that are not label maps in covseg folders (phantom images, CT inputs). */
const NOT_LABELS = /^(image|ct)\.(nii(\.gz)?|nrrd|mha|mhd)$/i;
/** File stems that name their folder's case (predict's labels.nii.gz, phantom's label.nii.gz). */
const FOLDER_NAMED = /^(labels?|seg|mask|truth|pred)$/i;

/** The case key of a label file: its stem, or its folder's name when the stem is generic. */
export function caseKeyOf(file: string): string {
  const stem = basename(file).replace(/\.(nii\.gz|nii|nrrd|nhdr|mha|mhd|png)$/i, '');
  return FOLDER_NAMED.test(stem) ? basename(dirname(file)) : stem;
}

/** Label files (NIfTI/NRRD/MHA/PNG) under a folder, by case key; a file stands for itself. */
export function labelFilesOf(path: string): Map<string, string> {
  if (!existsSync(path)) throw new InputError('no such file or folder', path);
  const out = new Map<string, string>();
  if (!statSync(path).isDirectory()) return out.set(caseKeyOf(path), path);
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) {
        if (e !== 'dicom' && e !== 'shards') walk(p);
      } else if ((isVolumeFile(p) || isPng(p)) && !NOT_LABELS.test(e)) {
        const key = caseKeyOf(p);
        if (out.has(key)) throw new InputError(`two label files for case '${key}': ${out.get(key)} and ${p}`, path);
        out.set(key, p);
      }
    }
  };
  walk(path);
  return out;
}

/** A label map file (NIfTI/NRRD/MHA, or a 2D PNG as one slice) with its voxel volume (mm³). */
export async function readLabelMap(file: string, pngSpacing: EvaluateConfig['pngSpacingMm']): Promise<LabelMap> {
  if (isPng(file)) {
    const png = readLabelPng(file);
    return { data: png.data, shape: [1, png.height, png.width], voxelMm3: voxelVolumeMm3(pngSpacing), spacingKnown: false };
  }
  const v = await readLabelVolume(file);
  return { data: v.data, shape: v.shape, voxelMm3: voxelVolumeMm3(v.spacing), spacingKnown: true, geometry: v };
}

/** Throws when a label map holds a value outside covseg's 0–4 (a reference in another convention needs --map). */
function checkLabelValues(data: Uint8Array, file: string): void {
  for (let i = 0; i < data.length; i++)
    if (data[i] > 4) throw new InputError(`label value ${data[i]} at voxel index ${i} is outside 0–4 (0 background, 1 lung, 2 GGO, 3 consolidation, 4 vessels); a reference in another convention needs --map`, file);
}

/** Scores of one case. */
export interface CaseEvaluation {
  case: string;
  pred: string;
  truth: string;
  /** False for PNG masks: volumes then assume evaluate.pngSpacingMm. */
  spacing_known: boolean;
  classes: Partial<Record<EvalClass, ClassScores>>;
}

type Stat = ReturnType<typeof meanSd>;
/** Per class: mean ± sd over cases, and Dice pooled over all voxels of all cases. */
export type Aggregate = Partial<Record<EvalClass, { dice: Stat; dice_pooled: number | null; iou: Stat; sensitivity: Stat; specificity: Stat; volume_error_ml: Stat; volume_error_pct: Stat }>>;

export interface Evaluation {
  cases: CaseEvaluation[];
  aggregate: Aggregate;
  classes: EvalClass[];
  empty_both: EvaluateConfig['emptyBoth'];
  /** Reference class × predicted class, voxels pooled over every paired case. */
  confusion: ConfusionMatrix;
  map?: ValueMap;
  unmatched: { pred: string[]; truth: string[] };
}

/** Resolves --map: a configured name, or inline "VALUE=CLASS,…" (e.g. "1=ggo,2=consolidation,255=lesion"). */
export function resolveMap(spec: string | undefined, cfg: EvaluateConfig): ValueMap | undefined {
  if (!spec) return undefined;
  if (cfg.maps[spec]) return cfg.maps[spec];
  const map: ValueMap = {};
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*=\s*(background|lung|ggo|consolidation|vessels|lesion)\s*$/.exec(part);
    if (!m || +m[1] > 255) throw new InputError(`--map: '${part}' is not VALUE=CLASS (classes: background, lung, ggo, consolidation, vessels, lesion) and '${spec}' is not a configured map (${Object.keys(cfg.maps).join(', ')})`);
    map[m[1]] = m[2] as ValueMap[string];
  }
  return map;
}

/** Pairs prediction and reference label maps by case and scores each pair, then aggregates (mean ± sd). */
export async function evaluateLabels(predPath: string, truthPath: string, cfg: EvaluateConfig, map?: ValueMap): Promise<Evaluation> {
  const pred = labelFilesOf(predPath);
  const truth = labelFilesOf(truthPath);
  // two single files pair with each other whatever their names
  const single = !statSync(predPath).isDirectory() && !statSync(truthPath).isDirectory();
  const keys = single ? [[...pred.keys()][0]] : [...pred.keys()].filter((k) => truth.has(k));
  const truthOf = (k: string) => (single ? [...truth.values()][0] : truth.get(k)!);
  if (!keys.length) throw new InputError(`no case has both a prediction and a reference (${pred.size} predictions, ${truth.size} references; cases pair by file stem or folder name)`, predPath);
  const classes = classesOfMap(map);
  const cases: CaseEvaluation[] = [];
  const confusion = emptyConfusion(map);
  for (const k of keys) {
    const p = await readLabelMap(pred.get(k)!, cfg.pngSpacingMm);
    const t = await readLabelMap(truthOf(k), cfg.pngSpacingMm);
    if (p.shape.some((s, i) => s !== t.shape[i])) throw new InputError(`prediction ${p.shape.join('×')} and reference ${t.shape.join('×')} differ in size`, pred.get(k));
    if (p.geometry && t.geometry && !sameGrid(p.geometry, t.geometry, 1e-2)) throw new InputError('prediction and reference lie on different grids (spacing, origin or direction)', pred.get(k));
    checkLabelValues(p.data, pred.get(k)!);
    if (!map) checkLabelValues(t.data, truthOf(k));
    const voxel = p.spacingKnown ? p.voxelMm3 : t.voxelMm3;
    const mapped = mapReference(t.data, map);
    addToConfusion(confusion, p.data, mapped);
    cases.push({ case: k, pred: pred.get(k)!, truth: truthOf(k), spacing_known: p.spacingKnown || t.spacingKnown, classes: overlapScores(p.data, mapped, classes, voxel, cfg.emptyBoth) });
  }
  const aggregate: Aggregate = {};
  for (const c of classes) {
    const of = (f: Exclude<keyof ClassScores, 'voxels'>) => meanSd(cases.map((x) => x.classes[c]?.[f] ?? null));
    aggregate[c] = { dice: of('dice'), dice_pooled: pooledDice(cases.map((x) => x.classes[c])), iou: of('iou'), sensitivity: of('sensitivity'), specificity: of('specificity'), volume_error_ml: of('volume_error_ml'), volume_error_pct: of('volume_error_pct') };
  }
  return {
    cases, aggregate, classes, empty_both: cfg.emptyBoth, confusion, ...(map ? { map } : {}),
    unmatched: { pred: single ? [] : [...pred.keys()].filter((k) => !truth.has(k)), truth: single ? [] : [...truth.keys()].filter((k) => !pred.has(k)) },
  };
}

/** The summary.json entry of one model (docs/run-layout.md): mean Dice / IoU / volume error % per class, the case count, and the pooled confusion matrix (counts and row %). */
export function summaryEntry(e: Evaluation) {
  const pick = (f: Exclude<keyof NonNullable<Aggregate[EvalClass]>, 'dice_pooled'>) => Object.fromEntries(e.classes.map((c) => [c, e.aggregate[c]![f].mean]));
  const confusion = { ...e.confusion, row_pct: confusionRowPct(e.confusion) };
  return { dice: pick('dice'), dice_pooled: Object.fromEntries(e.classes.map((c) => [c, e.aggregate[c]!.dice_pooled])), iou: pick('iou'), sensitivity: pick('sensitivity'), specificity: pick('specificity'), volume_error_pct: pick('volume_error_pct'), volume_error_ml: pick('volume_error_ml'), cases: e.cases.length, confusion };
}

/** Adds (or replaces) `name` in summary.json at `file`, keeping other models' entries. */
export function writeSummary(file: string, name: string, e: Evaluation): Record<string, unknown> {
  let summary: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      summary = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new InputError(`existing summary is not valid JSON: ${(err as Error).message}`, file);
    }
  }
  summary[name] = summaryEntry(e);
  writeJsonAtomic(file, summary);
  return summary;
}

/** A plain-text table: one row per class, mean ± sd of Dice, pooled Dice, IoU and volume error. */
export function evaluationTable(e: Evaluation): string {
  const f = (s: Stat, digits: number) => (s.mean === null ? 'n/a' : `${s.mean.toFixed(digits)} ± ${(s.sd ?? 0).toFixed(digits)}`);
  const rows = e.classes.map((c) => {
    const a = e.aggregate[c]!;
    return [c.padEnd(14), f(a.dice, 3).padEnd(16), (a.dice_pooled === null ? 'n/a' : a.dice_pooled.toFixed(3)).padEnd(12), f(a.iou, 3).padEnd(16), f(a.sensitivity, 3).padEnd(16), f(a.specificity, 3).padEnd(16), f(a.volume_error_ml, 1).padEnd(18), f(a.volume_error_pct, 1)].join(' ');
  });
  return [`${e.cases.length} case(s); empty prediction and reference: ${e.empty_both === 'skip' ? 'left out of the mean' : 'scored 1'}`, ['class'.padEnd(14), 'Dice'.padEnd(16), 'pooled Dice'.padEnd(12), 'IoU'.padEnd(16), 'sensitivity'.padEnd(16), 'specificity'.padEnd(16), 'vol. error mL'.padEnd(18), 'vol. error %'].join(' '), ...rows, '', confusionTable(e.confusion)].join('\n') + '\n';
}

/** Markdown: per class mean Dice / sensitivity / specificity, then the pooled confusion matrix; `title` names the source. */
export function evaluationMarkdown(e: Evaluation, title: string): string {
  const f = (s: Stat) => (s.mean === null ? 'n/a' : s.mean.toFixed(3));
  const lines = [`| ${title} (${e.cases.length} cases) | Dice | pooled Dice | sensitivity | specificity |`, '|---|---:|---:|---:|---:|'];
  for (const c of e.classes) lines.push(`| ${c} | ${f(e.aggregate[c]!.dice)} | ${e.aggregate[c]!.dice_pooled?.toFixed(3) ?? 'n/a'} | ${f(e.aggregate[c]!.sensitivity)} | ${f(e.aggregate[c]!.specificity)} |`);
  return lines.join('\n') + '\n\n' + confusionMarkdown(e.confusion, title);
}
