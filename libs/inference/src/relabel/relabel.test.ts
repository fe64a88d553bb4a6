import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readShardIndex, readSlice, sliceKey, writeVolume, defaultConfigSection } from '@covseg/io';
import { boxPhantom, truthSegmenter } from '../testing/testVolumes.js';
import { PredictConfig } from '../config.js';
import { relabelCohort, selectSlices, RelabelConfig, type SliceCandidate } from './index.js';

const relabelDefaults: RelabelConfig = RelabelConfig.parse(defaultConfigSection('relabel'));
const predictDefaults: PredictConfig = PredictConfig.parse(defaultConfigSection('predict'));
const tmp = () => mkdtempSync(join(tmpdir(), 'covseg-relabel-'));

/** 10 cases × 20 slices: slices z < 8 carry lesion, z ≥ 16 are outside the lungs, the rest healthy; confidence falls with z. */
const candidates: SliceCandidate[] = Array.from({ length: 200 }, (_, i) => {
  const z = i % 20;
  return { caseId: `c${Math.floor(i / 20)}`, z, lesionPixels: z < 8 ? 50 : 0, lungPixels: z < 16 ? 500 : 0, confidence: 1 - z / 40 };
});

describe('selectSlices', () => {
  const cfg = { ...relabelDefaults, slices: 60, lesionFraction: 0.25, minConfidence: 0 };

  it('draws the configured lesion fraction, healthy lung for the rest, never slices outside the lungs', () => {
    const s = selectSlices(candidates, cfg);
    expect(s.chosen).toHaveLength(60);
    expect(s.chosen.filter((c) => c.lesionPixels > 0)).toHaveLength(15);
    expect(s.chosen.every((c) => c.lungPixels > 0)).toBe(true);
    expect(new Set(s.chosen.map((c) => `${c.caseId}:${c.z}`)).size).toBe(60);
  });

  it('is deterministic in the seed and independent of the candidates order', () => {
    const a = selectSlices(candidates, cfg).chosen;
    expect(selectSlices([...candidates].reverse(), cfg).chosen).toEqual(a);
    expect(selectSlices(candidates, { ...cfg, seed: cfg.seed + 1 }).chosen).not.toEqual(a);
  });

  it('drops low-confidence slices first and reports a shortfall instead of changing the fraction', () => {
    const s = selectSlices(candidates, { ...cfg, slices: 100, lesionFraction: 0.9, minConfidence: 0.8 }); // keeps z ≤ 8
    expect(s.droppedLowConfidence).toBe(110);
    expect(s.lesion).toEqual({ wanted: 90, available: 80, drawn: 80 });
    expect(s.healthy).toEqual({ wanted: 10, available: 10, drawn: 10 });
    expect(s.chosen.every((c) => c.confidence! >= 0.8)).toBe(true);
  });
});

describe('relabelCohort', () => {
  const predict = { batchSize: 4, postprocess: { ...predictDefaults.postprocess, largestComponent: [] }, connectivity: 26 as const };

  async function cohort(dir: string) {
    const { image } = boxPhantom();
    await writeVolume(join(dir, 'a.nii.gz'), image);
    await writeVolume(join(dir, 'b.nii.gz'), image);
    writeFileSync(join(dir, 'bad.nii.gz'), 'garbage');
    return [{ id: 'a', image: join(dir, 'a.nii.gz') }, { id: 'bad', image: join(dir, 'bad.nii.gz') }, { id: 'b', image: join(dir, 'b.nii.gz') }];
  }

  it('segments every case (bad one listed), draws a seeded shard store with the lesion fraction; resumes without redoing work', async () => {
    const d = tmp();
    const cases = await cohort(join(d, 'in'));
    const { label } = boxPhantom();
    const relabel = { ...relabelDefaults, slices: 8, lesionFraction: 0.5 };
    const errors: string[] = [];
    const r = await relabelCohort(cases, join(d, 'out'), { segmenter: truthSegmenter(label), predict, relabel, draw: true, quiet: true, onError: (id) => errors.push(id) });
    expect(r.segmented).toEqual(['a', 'b']);
    expect(errors).toEqual(['bad']);
    // per case: slices 1–6 hold lesion (GGO 60 px or consolidation 100 px), 0 and 7 are healthy lung
    expect(r.selection!.lesion).toEqual({ wanted: 4, available: 12, drawn: 4 });
    expect(r.selection!.healthy).toEqual({ wanted: 4, available: 4, drawn: 4 });
    const idx = readShardIndex(join(d, 'out', 'shards'));
    expect(idx.slices).toHaveLength(8);
    expect(idx.slices.filter((s) => s.classCounts[2] + s.classCounts[3] > 0)).toHaveLength(4);
    const first = readSlice(join(d, 'out', 'shards'), idx.slices[0]);
    const plane = 40 * 48;
    expect(Array.from(first.label)).toEqual(Array.from(label.data.subarray(first.sliceIndex * plane, (first.sliceIndex + 1) * plane)));

    // resume: labels reused, store kept
    const again = await relabelCohort(cases, join(d, 'out'), { segmenter: truthSegmenter(label), predict, relabel, draw: true, quiet: true });
    expect(again.reused).toEqual(['a', 'b']);
    expect(again.alreadyDrawn).toBe(true);

    // same seed elsewhere → same slices; a sharded worker only segments
    const d2 = tmp();
    const cases2 = (await cohort(join(d2, 'in'))).filter((c) => c.id !== 'bad');
    const w = await relabelCohort(cases2, join(d2, 'out'), { segmenter: truthSegmenter(label), predict, relabel, draw: false, quiet: true });
    expect(w.selection).toBeUndefined();
    expect(existsSync(join(d2, 'out', 'shards'))).toBe(false);
    await relabelCohort(cases2, join(d2, 'out'), { segmenter: truthSegmenter(label), predict, relabel, draw: true, quiet: true });
    expect(readShardIndex(join(d2, 'out', 'shards')).slices.map((s) => s.key)).toEqual(idx.slices.map((s) => s.key));
  });

  it('keeps corrected slices as they are, flagged, in place of the model\'s labels of the same slices', async () => {
    const d = tmp();
    const cases = (await cohort(join(d, 'in'))).filter((c) => c.id !== 'bad');
    const { image, label } = boxPhantom();
    const relabel = { ...relabelDefaults, slices: 16, lesionFraction: 0.75 };
    const plane = 40 * 48;
    // every slice of both cases is drawn (16 of 16), so slice a z=3 is both drawn and corrected
    const fixed = { key: sliceKey('a', 3), caseId: 'a', sliceIndex: 3, height: 40, width: 48, spacing: [image.spacing[1], image.spacing[2]] as [number, number], image: image.data.slice(3 * plane, 4 * plane), label: new Uint8Array(plane).fill(3) };
    const other = { ...fixed, key: sliceKey('zz', 0), caseId: 'zz', sliceIndex: 0, label: new Uint8Array(plane).fill(2) };
    const r = await relabelCohort(cases, join(d, 'out'), { segmenter: truthSegmenter(label), predict, relabel, draw: true, quiet: true, corrected: [fixed, other] });
    expect(r.selection!.chosen).toHaveLength(16);
    const dir = join(d, 'out', 'shards');
    const idx = readShardIndex(dir);
    expect(idx.slices).toHaveLength(16 - 1 + 2);
    expect(idx.slices.filter((s) => s.corrected).map((s) => s.key)).toEqual([fixed.key, other.key]);
    expect(idx.slices.filter((s) => s.key === fixed.key)).toHaveLength(1);
    expect(Array.from(readSlice(dir, idx.slices.find((s) => s.key === fixed.key)!).label)).toEqual(Array.from(fixed.label));
    expect(Array.from(readSlice(dir, idx.slices.find((s) => s.key === other.key)!).label)).toEqual(Array.from(other.label));
    expect(idx.meta).toMatchObject({ correctedKept: 2, drawnReplacedByCorrected: 1 });
  });
});
