import { describe, expect, it } from 'vitest';
import { defaultConfigSection } from '@covseg/io';
import { generatePhantomCase, phantomConfigSchema, LABEL } from '@covseg/phantom';
import { lungMask, lungmaskConfigSchema } from '@covseg/features';

// Lives here because libs/features may not import libs/phantom (layering); the pipeline sees both.
describe('classical lung mask on phantom cases', () => {
  it('Dice ≥ 0.97 vs the truth lung (labels 1–4), trachea excluded, lesions inside', () => {
    const phantom = phantomConfigSchema.parse(defaultConfigSection('phantom'));
    const cfg = lungmaskConfigSchema.parse(defaultConfigSection('lungmask'));
    for (const seed of [1, 2]) {
      const c = generatePhantomCase({ ...phantom, shape: [48, 128, 128], healthyFraction: 0 }, seed);
      const m = lungMask(c.image, cfg).data;
      let both = 0, pred = 0, truth = 0, lesion = 0, lesionIn = 0;
      for (let i = 0; i < m.length; i++) {
        const t = c.label.data[i] >= LABEL.lung ? 1 : 0;
        both += m[i] & t;
        pred += m[i];
        truth += t;
        if (c.label.data[i] === LABEL.ggo || c.label.data[i] === LABEL.consolidation) {
          lesion++;
          lesionIn += m[i];
        }
      }
      expect((2 * both) / (pred + truth)).toBeGreaterThanOrEqual(0.97);
      expect(lesionIn / lesion).toBeGreaterThan(0.9);
      // the top slice holds only the trachea (the lungs end below it): nothing of it may be in the mask
      const [nz, ny, nx] = c.image.shape;
      let top = 0;
      for (let i = (nz - 1) * ny * nx; i < nz * ny * nx; i++) top += m[i];
      expect(top).toBe(0);
    }
  });
});
