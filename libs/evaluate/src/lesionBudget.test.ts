import { describe, expect, it } from 'vitest';
import { addToLesionBudget, budgetGroupsOf, emptyLesionBudget, labelBeforeCleaning, lesionBudgetMarkdown, lesionBudgetRows } from './index.js';

// A 12-voxel case where every step's effect is known. K-means clusters 0 → GGO, 1 → consolidation, 2 → vessels; gate −700 HU.
//                 0     1     2     3     4   5   6   7   8     9     10  11
const truth = [2, 2, 2, 2, 3, 3, 3, 3, 0, 1, 4, 2];
const hu = [-500, -500, -800, -500, 20, 20, 20, 20, -900, -850, 40, -500];
const lung = [1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1];
const cluster = [1, 3, 0, 0, 2, 2, 3, 0, 0, 0, 3, 2]; // c + 1; 0 = no candidate
// cleaning: voxel 4 consolidation → GGO, 5 consolidation → lung (size filter), 6 vessels → consolidation (thick vessel)
const pseudo = [2, 4, 1, 0, 2, 1, 3, 0, 1, 1, 4, 3];
const unetA = [2, 1, 2, 0, 3, 0, 3, 0, 1, 1, 4, 3];
const u8 = (a: number[]) => Uint8Array.from(a);

function budget() {
  const b = emptyLesionBudget(budgetGroupsOf([0, 1, 2, 3, 4]), [2, 3, 4], ['pseudolabel', 'unet-a'], -700, 'pseudolabel');
  return addToLesionBudget(b, 'case', { truth: u8(truth), hu: Int16Array.from(hu), lungMask: u8(lung), cluster: u8(cluster), sources: { pseudolabel: u8(pseudo), 'unet-a': u8(unetA) } });
}

describe('lesion budget', () => {
  it('counts each step of a hand-built case exactly', () => {
    const b = budget();
    expect(b.cases).toEqual(['case']);
    expect(b.groups.ggo).toEqual({
      truth: 5, above_hu_gate: 4, in_lung: 4, candidate: 3, clusters: [1, 1, 1],
      before_cleaning: { lesion: 2, own_class: 1 }, removed_by_cleaning: { lesion: 0, own_class: 0 }, added_by_cleaning: { lesion: 0, own_class: 0 },
      sources: { pseudolabel: { lesion: 2, own_class: 1 }, 'unet-a': { lesion: 3, own_class: 2 } },
    });
    expect(b.groups.consolidation).toEqual({
      truth: 4, above_hu_gate: 4, in_lung: 3, candidate: 3, clusters: [0, 2, 1],
      before_cleaning: { lesion: 2, own_class: 2 }, removed_by_cleaning: { lesion: 1, own_class: 2 }, added_by_cleaning: { lesion: 1, own_class: 1 },
      sources: { pseudolabel: { lesion: 2, own_class: 1 }, 'unet-a': { lesion: 2, own_class: 2 } },
    });
    expect(b.groups.lesion).toEqual({
      truth: 9, above_hu_gate: 8, in_lung: 7, candidate: 6, clusters: [1, 3, 2],
      before_cleaning: { lesion: 4, own_class: 4 }, removed_by_cleaning: { lesion: 1, own_class: 1 }, added_by_cleaning: { lesion: 1, own_class: 1 },
      sources: { pseudolabel: { lesion: 4, own_class: 4 }, 'unet-a': { lesion: 5, own_class: 5 } },
    });
    // invariants: before − removed + added = after (the cleaned source), per group and count
    for (const g of Object.values(b.groups))
      for (const k of ['lesion', 'own_class'] as const) expect(g!.before_cleaning[k] - g!.removed_by_cleaning[k] + g!.added_by_cleaning[k]).toBe(g!.sources.pseudolabel[k]);
  });

  it('pools cases: a second copy doubles every count', () => {
    const b = budget();
    addToLesionBudget(b, 'again', { truth: u8(truth), hu: Int16Array.from(hu), lungMask: u8(lung), cluster: u8(cluster), sources: { pseudolabel: u8(pseudo), 'unet-a': u8(unetA) } });
    expect(b.groups.lesion!.clusters).toEqual([2, 6, 4]);
    expect(b.groups.consolidation!.removed_by_cleaning).toEqual({ lesion: 2, own_class: 4 });
  });

  it('rows and Markdown: voxels, then % of each group', () => {
    const b = budget();
    const rows = lesionBudgetRows(b);
    expect(rows[0]).toEqual({ step: 'truth voxels', values: [9, 5, 4] });
    expect(rows.find((r) => r.step === 'K-means cluster 2 (→ vessels)')!.values).toEqual([(100 * 2) / 9, 20, 25]);
    const md = lesionBudgetMarkdown(b).split('\n');
    expect(md[0]).toBe('| step (1 cases) | truth lesion | truth ggo | truth consolidation |');
    expect(md).toContain('| inside the lung mask | 77.8 % | 80.0 % | 75.0 % |');
    expect(md).toContain('| candidates (lung mask ∧ HU > -700) | 66.7 % | 60.0 % | 75.0 % |');
    expect(md).toContain('| removed by cleaning: its own class | 11.1 % | 0.0 % | 50.0 % |');
    expect(md).toContain('| Unet-A: any lesion label | 55.6 % | 60.0 % | 50.0 % |');
  });

  it('groups follow the reference: a binary infection mask (value 5) fills only "lesion"', () => {
    expect(budgetGroupsOf([0, 5])).toEqual(['lesion']);
    expect(budgetGroupsOf([0, 2, 3])).toEqual(['lesion', 'ggo', 'consolidation']);
    const b = emptyLesionBudget(['lesion'], [2, 3, 4], ['pseudolabel'], -700, 'pseudolabel');
    addToLesionBudget(b, 'x', { truth: u8([5, 5, 0]), hu: [0, -900, 0], lungMask: u8([1, 1, 1]), cluster: u8([2, 0, 0]), sources: { pseudolabel: u8([3, 1, 1]) } });
    expect(b.groups.lesion).toMatchObject({ truth: 2, above_hu_gate: 1, candidate: 1, clusters: [0, 1, 0], before_cleaning: { lesion: 1, own_class: 1 } });
    expect(labelBeforeCleaning(0, 0, [2, 3, 4])).toBe(0);
    expect(labelBeforeCleaning(1, 3, [2, 3, 4])).toBe(4);
  });

  it('refuses inconsistent inputs', () => {
    const b = emptyLesionBudget(['lesion'], [2, 3, 4], ['pseudolabel', 'unet-b'], -700, 'pseudolabel');
    const ok = { truth: u8([2]), hu: [0], lungMask: u8([1]), cluster: u8([1]), sources: { pseudolabel: u8([2]), 'unet-b': u8([2]) } };
    expect(() => addToLesionBudget(b, 'a', { ...ok, lungMask: u8([1, 1]) })).toThrow(/lung mask has 2 voxels/);
    expect(() => addToLesionBudget(b, 'a', { ...ok, lungMask: u8([0]) })).toThrow(/outside the lung mask/);
    expect(() => addToLesionBudget(b, 'a', { ...ok, cluster: u8([4]) })).toThrow(/3 clusters/);
    expect(() => addToLesionBudget(b, 'a', { ...ok, sources: { pseudolabel: u8([2]) } })).toThrow(/no 'unet-b' labels/);
  });
});
