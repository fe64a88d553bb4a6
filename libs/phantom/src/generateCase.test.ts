import { describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readVolume, readLabelVolume, defaultConfigSection, LABEL } from '@covseg/io';
import { generatePhantomCase, phantomConfigSchema, writePhantomCohort, type PhantomConfig } from './index.js';
import { lungRadius, lungShapes } from './anatomy.js';
import { makeFrame } from './frame.js';

const defaults = phantomConfigSchema.parse(defaultConfigSection('phantom'));
const small: PhantomConfig = { ...defaults, shape: [24, 96, 96] };

const counts = (l: Uint8Array) => {
  const c = [0, 0, 0, 0, 0];
  for (const v of l) c[v]++;
  return c;
};

describe('phantom', () => {
  it('same seed → identical bytes; another seed → different case', () => {
    const a = generatePhantomCase(small, 'x');
    const b = generatePhantomCase(small, 'x');
    const c = generatePhantomCase(small, 'y');
    expect(Buffer.from(a.image.data.buffer).equals(Buffer.from(b.image.data.buffer))).toBe(true);
    expect(Buffer.from(a.label.data).equals(Buffer.from(b.label.data))).toBe(true);
    expect(Buffer.from(a.image.data.buffer).equals(Buffer.from(c.image.data.buffer))).toBe(false);
  });

  it('healthy cases have no GGO or consolidation; lesion cases do', () => {
    const healthy = generatePhantomCase({ ...small, healthyFraction: 1 }, 3);
    expect(healthy.info.healthy).toBe(true);
    const h = counts(healthy.label.data);
    expect(h[LABEL.ggo] + h[LABEL.consolidation]).toBe(0);
    expect(h[LABEL.lung]).toBeGreaterThan(0);
    expect(h[LABEL.vessels]).toBeGreaterThan(0);
    const sick = generatePhantomCase({ ...small, healthyFraction: 0, ggoCount: [2, 2], consolidationCount: [1, 1] }, 3);
    const s = counts(sick.label.data);
    expect(s[LABEL.ggo]).toBeGreaterThan(0);
    expect(s[LABEL.consolidation]).toBeGreaterThan(0);
  });

  it('pleuralLesionFraction 1: every lesion is centred on the dependent pleura and reaches non-lung truth; only the centres move', () => {
    const cfg: PhantomConfig = { ...small, shape: [32, 96, 96], healthyFraction: 0, ggoCount: [2, 2], consolidationCount: [2, 2] };
    const pleural = generatePhantomCase({ ...cfg, pleuralLesionFraction: 1 }, 8);
    const inner = generatePhantomCase({ ...cfg, pleuralLesionFraction: 0 }, 8);
    const lungs = lungShapes(makeFrame(cfg.shape, pleural.info.spacing));
    expect(pleural.info.lesions).toHaveLength(4);
    const [nz, ny, nx] = cfg.shape;
    pleural.info.lesions.forEach((les, k) => {
      expect(lungRadius(lungs[les.lung], les.centre)).toBeCloseTo(1, 6);
      expect(les.centre[1]).toBeGreaterThan(lungs[les.lung].centre[1]); // posterior (+Y, LPS): dependent
      // only the centre moved: kind, lung, size and density are the ones drawn without pleural placement
      expect({ ...les, centre: null }).toEqual({ ...inner.info.lesions[k], centre: null });
    });
    // some lesion voxel of each kind touches truth background (chest wall / mediastinum) in-plane
    const touching = new Set<number>();
    const l = pleural.label.data;
    for (let z = 0; z < nz; z++) for (let y = 1; y < ny - 1; y++) for (let x = 1; x < nx - 1; x++) {
      const i = x + nx * (y + ny * z);
      if ((l[i] === LABEL.ggo || l[i] === LABEL.consolidation) && [i - 1, i + 1, i - nx, i + nx].some((j) => l[j] === LABEL.background)) touching.add(l[i]);
    }
    expect([...touching].sort()).toEqual([LABEL.ggo, LABEL.consolidation]);
  });

  it('a smooth lesion labels exactly the lung voxels inside its ellipsoid (up to the soft edge)', () => {
    const cfg: PhantomConfig = { ...small, shape: [48, 96, 96], spacing: [1, 1, 1], healthyFraction: 0, pleuralLesionFraction: 0, ggoCount: [1, 1], consolidationCount: [0, 0], ggoPatchiness: 0, ggoRadiusFraction: [0.3, 0.3] };
    const c = generatePhantomCase(cfg, 11);
    const les = c.info.lesions[0];
    const [nz, ny, nx] = c.label.shape;
    const R = Math.min(...les.axes);
    let inside = 0, insideGgo = 0, outsideGgo = 0;
    for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      const i = x + nx * (y + ny * z);
      const p = [c.label.origin[0] + x, c.label.origin[1] + y, c.label.origin[2] + z];
      const r = Math.hypot((p[0] - les.centre[0]) / les.axes[0], (p[1] - les.centre[1]) / les.axes[1], (p[2] - les.centre[2]) / les.axes[2]);
      const l = c.label.data[i];
      if (r < 1 - 0.6 / R && l !== LABEL.background && l !== LABEL.vessels) { inside++; if (l === LABEL.ggo) insideGgo++; }
      if (r > 1 + 0.6 / R && l === LABEL.ggo) outsideGgo++;
    }
    expect(inside).toBeGreaterThan(100);
    expect(insideGgo).toBe(inside);
    expect(outsideGgo).toBe(0);
  });

  it('lung fraction follows the two ellipsoids minus heart and airways, and HU match the tissue classes', () => {
    const c = generatePhantomCase({ ...small, spacing: [2, 1, 1], noiseHu: [0, 0], blurVoxels: [0, 0], healthyFraction: 1 }, 5);
    const n = c.label.data.length;
    const lungFrac = counts(c.label.data).slice(1).reduce((a, b) => a + b) / n;
    // each lung: (4/3)π·0.3·0.5·0.88 of the half-extent box (8 half³) → 2 lungs ≈ 0.138 of the box, a bit less after heart/airway/box clipping
    expect(lungFrac).toBeGreaterThan(0.1);
    expect(lungFrac).toBeLessThan(0.14);
    let lungSum = 0, lungN = 0, vesselMax = -2000;
    c.label.data.forEach((l, i) => {
      if (l === LABEL.lung) { lungSum += c.image.data[i]; lungN++; }
      if (l === LABEL.vessels) vesselMax = Math.max(vesselMax, c.image.data[i]);
    });
    expect(lungSum / lungN).toBeGreaterThan(c.info.lungHu - 40);
    expect(lungSum / lungN).toBeLessThan(c.info.lungHu + 60);
    expect(vesselMax).toBeGreaterThan(0);
  });

  it('writes a cohort whose NIfTI and DICOM copies read back to the same HU', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'covseg-phantom-'));
    const cases = await writePhantomCohort(dir, { ...small, shape: [12, 64, 64] }, { cases: 2, seed: 4 });
    expect(cases.map((c) => c.id)).toEqual(['case-000', 'case-001']);
    const nii = await readVolume(join(dir, 'case-000/image.nii.gz'));
    const dcm = await readVolume(join(dir, 'case-000/dicom'));
    expect(Array.from(dcm.data)).toEqual(Array.from(nii.data));
    dcm.spacing.forEach((s, i) => expect(s).toBeCloseTo(nii.spacing[i], 4));
    const lab = await readLabelVolume(join(dir, 'case-001/label.nii.gz'));
    expect(Math.max(...lab.data)).toBeLessThanOrEqual(4);
    expect(existsSync(join(dir, 'case-001/dicom'))).toBe(false);
  });
});
