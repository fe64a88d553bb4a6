import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDicomSeries, readSegmentationDicom, segmentationSourceFromFiles, writeDicomSeries, writeSegmentationDicom, type LabelVolume, type Volume } from './index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'covseg-seg-'));

/** A 6×20×24 grid with every label value, slice-dependent extents, and one empty slice (z = 5). */
function labelsOn(v: Volume): LabelVolume {
  const [nz, ny, nx] = v.shape;
  const data = new Uint8Array(nz * ny * nx);
  for (let z = 0; z < nz - 1; z++)
    for (let y = 2; y < ny - 2; y++)
      for (let x = 2; x < nx - 2; x++) {
        const i = x + nx * (y + ny * z);
        data[i] = x < 6 + z ? 2 : y < 5 ? 3 : (x + y) % 7 === 0 ? 4 : 1;
      }
  return { ...v, data };
}

function countsPerSlice(data: Uint8Array, shape: [number, number, number]): number[][] {
  const plane = shape[1] * shape[2];
  return Array.from({ length: shape[0] }, (_, z) => {
    const c = [0, 0, 0, 0, 0];
    for (let i = z * plane; i < (z + 1) * plane; i++) c[data[i]]++;
    return c;
  });
}

describe('DICOM SEG output', () => {
  const ct: Volume = { data: new Int16Array(6 * 20 * 24).fill(-800), shape: [6, 20, 24], spacing: [2, 0.7, 0.8], origin: [-10, 20, -30], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };

  it('re-reads with the same label counts per slice and references the source series, study and frame of reference', async () => {
    const dir = tmp();
    writeDicomSeries(join(dir, 'ct'), ct, { uidSeed: 'seg-test', patientName: 'DOE^JANE', patientId: 'P123' });
    const series = await readDicomSeries(join(dir, 'ct'));
    const source = segmentationSourceFromFiles(series.files);
    const labels = labelsOn(series);
    const file = join(dir, 'seg.dcm');
    writeSegmentationDicom(file, labels, { uidSeed: 'seg-test-out', source });
    const back = readSegmentationDicom(file, labels.shape[0]);
    expect(countsPerSlice(back.labels, back.shape)).toEqual(countsPerSlice(labels.data, labels.shape));
    expect(Array.from(back.labels)).toEqual(Array.from(labels.data));
    expect(back.referencedSeriesUid).toBe(series.seriesUid);
    expect(back.studyUid).toBe(source.studyUid);
    expect(back.frameOfReferenceUid).toBe(source.frameOfReferenceUid);
    expect(back.segmentLabels).toEqual(['lung', 'ggo', 'consolidation', 'vessels']);
    // no identifiers unless asked
    expect(back.patientName).toBe('');
    expect(back.patientId).toBe('');
    expect(readFileSync(file).includes(Buffer.from('DOE^JANE'))).toBe(false);
  });

  it('keeps patient name and ID only with keepIdentifiers', async () => {
    const dir = tmp();
    writeDicomSeries(join(dir, 'ct'), ct, { uidSeed: 'seg-test-2', patientName: 'DOE^JANE', patientId: 'P123' });
    const series = await readDicomSeries(join(dir, 'ct'));
    const file = join(dir, 'seg.dcm');
    writeSegmentationDicom(file, labelsOn(series), { uidSeed: 'x', source: segmentationSourceFromFiles(series.files, true), keepIdentifiers: true });
    const back = readSegmentationDicom(file, 6);
    expect([back.patientName, back.patientId]).toEqual(['DOE^JANE', 'P123']);
  });

  it('writes a valid one-frame SEG for an empty label map (non-DICOM source: own study and frame UIDs)', () => {
    const file = join(tmp(), 'seg.dcm');
    writeSegmentationDicom(file, { ...ct, data: new Uint8Array(6 * 20 * 24) }, { uidSeed: 'empty' });
    const back = readSegmentationDicom(file, 6);
    expect(back.labels.every((v) => v === 0)).toBe(true);
    expect(back.referencedSeriesUid).toBeUndefined();
    expect(back.frameOfReferenceUid).toMatch(/^2\.25\./);
  });
});
