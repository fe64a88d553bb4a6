import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import dcmjs from 'dcmjs';
import { tempPathFor } from './atomicWrite.js';
import type { Volume } from './volume.js';

const { DicomDict, DicomMetaDictionary } = (dcmjs as any).data;
(dcmjs as any).log?.setLevel?.('silent'); // dcmjs warns on every long decimal string (we round them ourselves) and logs damaged files' oddities: covseg reports problems itself

/** A decimal string value (DICOM DS holds at most 16 characters). */
const ds = (x: number) => Number(x.toPrecision(10));

/** A DICOM UID derived from a string (2.25.<decimal of 120 hash bits>): stable for the same input. */
export function uidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex').slice(0, 30);
  return `2.25.${BigInt('0x' + h).toString()}`;
}

export interface DicomSeriesOptions {
  /** Seed text for the study/series/instance UIDs. */
  uidSeed: string;
  seriesDescription?: string;
  patientName?: string;
  patientId?: string;
  /** Edits each slice's dataset before writing (extra tags; tests make broken series with it). */
  patchSlice?: (z: number, dataset: Record<string, unknown>) => void;
}

const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

/**
 * Writes a volume as a CT DICOM series (one file per slice, uint16 stored values with
 * RescaleIntercept −1024, explicit VR little endian) into `dir`, atomically (temp folder + rename).
 */
export function writeDicomSeries(dir: string, v: Volume, opts: DicomSeriesOptions): string[] {
  const [nz, ny, nx] = v.shape;
  const tmp = tempPathFor(dir);
  mkdirSync(tmp, { recursive: true });
  const d = v.direction;
  const rowCos = [d[0], d[3], d[6]];
  const colCos = [d[1], d[4], d[7]];
  const normal = [d[2], d[5], d[8]];
  const studyUid = uidFrom(`${opts.uidSeed}:study`);
  const seriesUid = uidFrom(`${opts.uidSeed}:series`);
  const frameUid = uidFrom(`${opts.uidSeed}:frame`);
  const intercept = -1024;
  const files: string[] = [];
  try {
    for (let z = 0; z < nz; z++) {
      const pixels = new Uint16Array(nx * ny);
      const off = z * nx * ny;
      for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, v.data[off + i] - intercept);
      const pos = [0, 1, 2].map((k) => v.origin[k] + normal[k] * z * v.spacing[0]);
      const sop = uidFrom(`${opts.uidSeed}:instance:${z}`);
      const dataset: Record<string, any> = {
        SOPClassUID: CT_IMAGE_STORAGE,
        SOPInstanceUID: sop,
        StudyInstanceUID: studyUid,
        SeriesInstanceUID: seriesUid,
        FrameOfReferenceUID: frameUid,
        Modality: 'CT',
        PatientName: opts.patientName ?? 'ANONYMOUS',
        PatientID: opts.patientId ?? 'ANONYMOUS',
        SeriesDescription: opts.seriesDescription ?? 'covseg',
        SeriesNumber: 1,
        InstanceNumber: z + 1,
        ImagePositionPatient: pos.map(ds),
        ImageOrientationPatient: [...rowCos, ...colCos].map(ds),
        PixelSpacing: [ds(v.spacing[1]), ds(v.spacing[2])],
        SliceThickness: ds(v.spacing[0]),
        Rows: ny,
        Columns: nx,
        SamplesPerPixel: 1,
        PhotometricInterpretation: 'MONOCHROME2',
        BitsAllocated: 16,
        BitsStored: 16,
        HighBit: 15,
        PixelRepresentation: 0,
        RescaleIntercept: intercept,
        RescaleSlope: 1,
        RescaleType: 'HU',
        WindowCenter: -600,
        WindowWidth: 1500,
        PixelData: pixels.buffer,
        _vrMap: { PixelData: 'OW' },
      };
      opts.patchSlice?.(z, dataset);
      const meta = {
        FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
        MediaStorageSOPClassUID: CT_IMAGE_STORAGE,
        MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
        TransferSyntaxUID: '1.2.840.10008.1.2.1',
        ImplementationClassUID: uidFrom('covseg'),
      };
      const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
      dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
      const name = `slice-${String(z).padStart(4, '0')}.dcm`;
      writeFileSync(join(tmp, name), Buffer.from(dict.write()));
      files.push(join(dir, name));
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return files;
}

