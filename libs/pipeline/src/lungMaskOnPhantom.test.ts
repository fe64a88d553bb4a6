import { describe, expect, it } from 'vitest';
import { defaultConfigSection, LABEL } from '@covseg/io';
import { generatePhantomCase, phantomConfigSchema } from '@covseg/phantom';
import { lungMask, lungmaskConfigSchema, squaredDistance2d } from '@covseg/features';

/** Mask voxels on truth background farther than this (mm, in-plane) from the truth lung are leakage. */
const LEAK_MARGIN_MM = 2;

// Lives here because libs/features may not import libs/phantom (layering); the pipeline sees both.
describe('classical lung mask on phantom cases', () => {
  const phantom = phantomConfigSchema.parse(defaultConfigSection('phantom'));
  const cfg = lungmaskConfigSchema.parse(defaultConfigSection('lungmask'));

  /** Lung Dice, lesion voxels inside, and mask voxels beyond LEAK_MARGIN_MM of the truth lung (chest wall, mediastinum). */
  function score(c: ReturnType<typeof generatePhantomCase>, m: Uint8Array) {
    const [nz, ny, nx] = c.image.shape;
    const [, sy, sx] = c.image.spacing;
    let both = 0, pred = 0, truth = 0, lesion = 0, lesionIn = 0, leak = 0;
    for (let z = 0; z < nz; z++) {
      const o = z * ny * nx;
      const toLung = squaredDistance2d((i) => c.label.data[o + i] >= LABEL.lung, ny, nx, sy, sx);
      for (let i = 0; i < ny * nx; i++) {
        const l = c.label.data[o + i], t = l >= LABEL.lung ? 1 : 0, p = m[o + i];
        both += p & t;
        pred += p;
        truth += t;
        if (l === LABEL.ggo || l === LABEL.consolidation) (lesion++, (lesionIn += p));
        if (p && !t && toLung[i] > LEAK_MARGIN_MM ** 2) leak++;
      }
    }
    return { dice: (2 * both) / (pred + truth), lesionIn: lesionIn / lesion, leak: leak / pred };
  }

  it('default cohort: Dice ≥ 0.97 vs the truth lung (labels 1–4), trachea excluded, lesions inside, no leakage', () => {
    for (const seed of [1, 2]) {
      const c = generatePhantomCase({ ...phantom, shape: [48, 128, 128], healthyFraction: 0 }, seed);
      const m = lungMask(c.image, cfg).data;
      const s = score(c, m);
      expect(s.dice).toBeGreaterThanOrEqual(0.97);
      expect(s.lesionIn).toBeGreaterThan(0.9);
      expect(s.leak).toBeLessThan(0.002);
      // the top slice holds only the trachea (the lungs end below it): nothing of it may be in the mask
      const [nz, ny, nx] = c.image.shape;
      let top = 0;
      for (let i = (nz - 1) * ny * nx; i < nz * ny * nx; i++) top += m[i];
      expect(top).toBe(0);
    }
  }, 300_000);

  it('every lesion on the dependent pleura: the pleural bays keep what the plain mask loses, without leaking', () => {
    const plain = lungmaskConfigSchema.parse({ ...cfg, pleuralBays: { ...cfg.pleuralBays, hullConcavities: false, maxDepthMm: 0 } });
    const got: ReturnType<typeof score>[] = [], before: ReturnType<typeof score>[] = [];
    for (const seed of [1, 3]) {
      const c = generatePhantomCase({ ...phantom, shape: [48, 128, 128], healthyFraction: 0, pleuralLesionFraction: 1, consolidationCount: [2, 3] }, `pleural:${seed}`);
      got.push(score(c, lungMask(c.image, cfg).data));
      before.push(score(c, lungMask(c.image, plain).data));
    }
    console.log('pleural lesions inside (plain → with bays):', before.map((s, k) => `${s.lesionIn.toFixed(3)} → ${got[k].lesionIn.toFixed(3)}, Dice ${s.dice.toFixed(4)} → ${got[k].dice.toFixed(4)}, leak ${s.leak.toFixed(4)} → ${got[k].leak.toFixed(4)}`).join('; '));
    for (let k = 0; k < got.length; k++) {
      expect(got[k].lesionIn).toBeGreaterThan(before[k].lesionIn);
      expect(got[k].dice).toBeGreaterThanOrEqual(0.97);
      expect(got[k].leak).toBeLessThan(0.002);
    }
  }, 300_000);
});
