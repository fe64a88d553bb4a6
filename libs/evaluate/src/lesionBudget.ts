import { InputError, LABEL, LESION_LABELS } from '@covseg/io';
import { LESION_ANY } from './overlap.js';

/** Truth lesion groups of the budget: every lesion voxel, and each lesion class the reference names. */
export const BUDGET_GROUPS = ['lesion', 'ggo', 'consolidation'] as const;
export type BudgetGroup = (typeof BUDGET_GROUPS)[number];

/** Mapped reference values (see mapReference) of each group; 5 = lesion of unknown class (binary masks). */
const GROUP_VALUES: Record<BudgetGroup, number[]> = { lesion: [...LESION_LABELS, LESION_ANY], ggo: [LABEL.ggo], consolidation: [LABEL.consolidation] };
/** Predicted label values that count as "kept" for a group: any lesion label, or the group's own class. */
const OWN_LABELS: Record<BudgetGroup, number[]> = { lesion: [...LESION_LABELS], ggo: [LABEL.ggo], consolidation: [LABEL.consolidation] };

/** Truth voxels of a group that a label map keeps: as any lesion label (2 ∪ 3) and as the group's own class. */
export interface KeptCounts {
  lesion: number;
  own_class: number;
}

/** Where the truth voxels of one lesion group go, step by step (voxel counts, pooled over cases). */
export interface GroupBudget {
  /** Truth voxels of the group. */
  truth: number;
  /** HU above the candidate gate, wherever they lie (what the gate alone keeps). */
  above_hu_gate: number;
  /** Inside the lung mask. */
  in_lung: number;
  /** Candidates: inside the lung mask and HU above the gate (what K-means sees). */
  candidate: number;
  /** Candidates per K-means cluster index. */
  clusters: number[];
  /** Labels straight from the cluster → class map, before any cleaning. */
  before_cleaning: KeptCounts;
  /** Kept before cleaning but not after it (opening, size filter, reassignments). */
  removed_by_cleaning: KeptCounts;
  /** Not kept before cleaning but after it (e.g. thick vessels → consolidation). */
  added_by_cleaning: KeptCounts;
  /** Kept by each label source after cleaning (pseudo-labels) or prediction (U-Nets), by source name. */
  sources: Record<string, KeptCounts>;
}

/** One case's arrays, all on the reference's grid. */
export interface BudgetCase {
  /** Mapped reference labels (0–5, see mapReference). */
  truth: Uint8Array;
  /** Reference HU of each voxel (the CT the pipeline saw). */
  hu: ArrayLike<number>;
  /** 1 = inside the lung mask. */
  lungMask: Uint8Array;
  /** 0 = not a candidate; c + 1 = candidate assigned to K-means cluster c. */
  cluster: Uint8Array;
  /** Label maps 0–4 by source name, e.g. pseudolabel (after cleaning), unet-a, unet-b. */
  sources: Record<string, Uint8Array>;
}

/** The run's lesion budget: per group, voxel counts of each step. */
export interface LesionBudget {
  /** HU gate of the candidates (voxels strictly above it are candidates). */
  candidate_min_hu: number;
  /** Class label (2 GGO, 3 consolidation, 4 vessels) of each K-means cluster index. */
  cluster_classes: number[];
  /** Name of the source whose labels are the cleaned pseudo-labels (removed/added by cleaning compare to it). */
  cleaned_source: string;
  cases: string[];
  groups: Partial<Record<BudgetGroup, GroupBudget>>;
}

const kept = (): KeptCounts => ({ lesion: 0, own_class: 0 });

/** An empty budget for the given groups, clusters and sources. */
export function emptyLesionBudget(groups: readonly BudgetGroup[], clusterClasses: readonly number[], sources: readonly string[], candidateMinHu: number, cleanedSource: string): LesionBudget {
  const g: LesionBudget['groups'] = {};
  for (const name of groups) {
    g[name] = {
      truth: 0, above_hu_gate: 0, in_lung: 0, candidate: 0, clusters: clusterClasses.map(() => 0),
      before_cleaning: kept(), removed_by_cleaning: kept(), added_by_cleaning: kept(),
      sources: Object.fromEntries(sources.map((s) => [s, kept()])),
    };
  }
  return { candidate_min_hu: candidateMinHu, cluster_classes: [...clusterClasses], cleaned_source: cleanedSource, cases: [], groups: g };
}

/** Groups a reference can fill: lesion when it has any lesion value; ggo / consolidation when it names them. */
export function budgetGroupsOf(truthValues: readonly number[]): BudgetGroup[] {
  return BUDGET_GROUPS.filter((g) => GROUP_VALUES[g].some((v) => truthValues.includes(v)));
}

/** Label 0–4 before cleaning: the cluster's class for a candidate, else lung (1) inside the mask and background (0) outside. */
export function labelBeforeCleaning(lungMask: number, cluster: number, clusterClasses: readonly number[]): number {
  return cluster ? clusterClasses[cluster - 1] : lungMask ? 1 : 0;
}

/** Adds one case to the budget (changes `b`). */
export function addToLesionBudget(b: LesionBudget, id: string, c: BudgetCase): LesionBudget {
  const n = c.truth.length;
  const arrays: [string, ArrayLike<number>][] = [['HU', c.hu], ['lung mask', c.lungMask], ['cluster map', c.cluster], ...Object.entries(c.sources)];
  for (const [name, a] of arrays) if (a.length !== n) throw new InputError(`${id}: ${name} has ${a.length} voxels, the reference ${n}`);
  const cleaned = c.sources[b.cleaned_source];
  if (!cleaned) throw new InputError(`${id}: no '${b.cleaned_source}' labels to measure the cleaning against`);
  const k = b.cluster_classes.length;
  for (const [name, g] of Object.entries(b.groups) as [BudgetGroup, GroupBudget][]) {
    const inGroup = new Uint8Array(256);
    for (const v of GROUP_VALUES[name]) inGroup[v] = 1;
    const own = new Uint8Array(256);
    for (const v of OWN_LABELS[name]) own[v] = 1;
    const lesion = new Uint8Array(256);
    for (const v of LESION_LABELS) lesion[v] = 1;
    const sources = Object.keys(g.sources).map((s) => {
      if (!c.sources[s]) throw new InputError(`${id}: no '${s}' labels (every case of a budget needs every source)`);
      return [g.sources[s], c.sources[s]] as const;
    });
    for (let i = 0; i < n; i++) {
      if (!inGroup[c.truth[i]]) continue;
      g.truth++;
      if (c.hu[i] > b.candidate_min_hu) g.above_hu_gate++;
      if (c.lungMask[i]) g.in_lung++;
      const cl = c.cluster[i];
      if (cl) {
        if (cl > k) throw new InputError(`${id}: cluster ${cl - 1} at voxel ${i}, but the model has ${k} clusters`);
        if (!c.lungMask[i]) throw new InputError(`${id}: candidate voxel ${i} lies outside the lung mask`);
        g.candidate++;
        g.clusters[cl - 1]++;
      }
      const before = labelBeforeCleaning(c.lungMask[i], cl, b.cluster_classes);
      const after = cleaned[i];
      g.before_cleaning.lesion += lesion[before];
      g.before_cleaning.own_class += own[before];
      g.removed_by_cleaning.lesion += lesion[before] & (lesion[after] ^ 1);
      g.removed_by_cleaning.own_class += own[before] & (own[after] ^ 1);
      g.added_by_cleaning.lesion += (lesion[before] ^ 1) & lesion[after];
      g.added_by_cleaning.own_class += (own[before] ^ 1) & own[after];
      for (const [counts, labels] of sources) {
        counts.lesion += lesion[labels[i]];
        counts.own_class += own[labels[i]];
      }
    }
  }
  b.cases.push(id);
  return b;
}
