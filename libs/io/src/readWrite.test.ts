import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readVolume, readLabelVolume, readFloatVolume, writeVolume, writeLabelVolume, writeFloatVolume, type Volume } from './index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'covseg-io-'));
const shared = new URL('../../../../shared/', import.meta.url).pathname;

function smallVolume(): Volume {
  const shape: [number, number, number] = [3, 4, 5];
  const data = new Int16Array(60);
  for (let i = 0; i < 60; i++) data[i] = -1000 + i * 37;
  return { data, shape, spacing: [2.5, 0.7, 0.8], origin: [-12.5, 30.25, 100], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
}

describe('NIfTI round trip', () => {
  it('keeps int16 HU data and geometry exactly', async () => {
    const dir = tmp();
    const v = smallVolume();
    for (const ext of ['nii.gz', 'nii', 'nrrd', 'mha']) {
      const p = join(dir, `v.${ext}`);
      await writeVolume(p, v);
      const r = await readVolume(p);
      expect(r.shape).toEqual(v.shape);
      expect(Array.from(r.data)).toEqual(Array.from(v.data));
      r.spacing.forEach((s, i) => expect(s).toBeCloseTo(v.spacing[i], 5));
      r.origin.forEach((s, i) => expect(s).toBeCloseTo(v.origin[i], 4));
      expect(r.direction).toEqual(v.direction);
    }
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('keeps uint8 labels and float32 features', async () => {
    const dir = tmp();
    const v = smallVolume();
    const labels = { ...v, data: Uint8Array.from(v.data, (x, i) => i % 5) };
    await writeLabelVolume(join(dir, 'l.nii.gz'), labels);
    expect(Array.from((await readLabelVolume(join(dir, 'l.nii.gz'))).data)).toEqual(Array.from(labels.data));
    const f = { ...v, data: Float32Array.from(v.data, (x) => x / 7) };
    await writeFloatVolume(join(dir, 'f.nii.gz'), f);
    expect(Array.from((await readFloatVolume(join(dir, 'f.nii.gz'))).data)).toEqual(Array.from(f.data));
  });

  it('reads the shared fixture with ITK LPS geometry', async () => {
    const p = join(shared, 'fixtures/ct.nii.gz');
    if (!existsSync(p)) return console.warn('skipped: ../shared/fixtures absent');
    const v = await readVolume(p);
    expect(v.shape).toEqual([48, 64, 64]);
    expect(v.spacing).toEqual([1.25, 0.75, 0.75]);
    expect(v.direction).toEqual([-1, 0, 0, 0, -1, 0, 0, 0, 1]);
    const raw = readFileSync(join(shared, 'fixtures/ct.i16'));
    expect(Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength).equals(raw)).toBe(true);
  });
});
