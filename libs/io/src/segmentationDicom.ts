import { readFileSync } from 'node:fs';
import dcmjs from 'dcmjs';
import { InputError } from './errors.js';
import { uidFrom } from './dicomWrite.js';
import { writeFileAtomicSync } from './atomicWrite.js';
import type { Geometry, LabelVolume } from './volume.js';

const { DicomDict, DicomMessage, DicomMetaDictionary } = (dcmjs as any).data;

/**
 * DICOM Segmentation Storage (binary SEG, one segment per label value 1–4).
 *
 * Why SEG rather than a derived image series: a SEG object shares the source's Study and Frame of
 * Reference and names every source slice it was derived from, so OHIF, 3D Slicer (QuantitativeReporting)
 * and SEG-aware PACS overlay it on the CT with per-class colours and names; a derived CT-like series
 * only overlays where a viewer offers manual fusion and would show label values as grey levels.
 */
export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

type Code = { CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string };
/** A segment: label value, name, SNOMED-CT or covseg-private ('99COVSEG') codes, display colour (CIELab, DICOM scaled). */
export interface SegmentDefinition {
  labelValue: number;
  label: string;
  category: Code;
  type: Code;
  cieLab: [number, number, number];
}

const ANATOMY: Code = { CodeValue: '123037004', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Anatomical Structure' };
const ALTERED: Code = { CodeValue: '49755003', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Morphologically Altered Structure' };

/** covseg's segments (docs/labels.md values); lesion types use a private scheme rather than guessed SNOMED codes. */
export const COVSEG_SEGMENTS: readonly SegmentDefinition[] = [
  { labelValue: 1, label: 'lung', category: ANATOMY, type: { CodeValue: '39607008', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Lung' }, cieLab: [49512, 38656, 52736] },
  { labelValue: 2, label: 'ggo', category: ALTERED, type: { CodeValue: 'GGO', CodingSchemeDesignator: '99COVSEG', CodeMeaning: 'Ground-glass opacity' }, cieLab: [56884, 29546, 52813] },
  { labelValue: 3, label: 'consolidation', category: ALTERED, type: { CodeValue: 'CONS', CodingSchemeDesignator: '99COVSEG', CodeMeaning: 'Consolidation' }, cieLab: [35000, 58000, 55000] },
  { labelValue: 4, label: 'vessels', category: ANATOMY, type: { CodeValue: '59820001', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Blood vessel' }, cieLab: [43807, 39147, 22493] },
];

/** What the SEG carries over from the source series (UIDs only, plus patient name/ID when kept). */
export interface SegmentationSource {
  studyUid?: string;
  seriesUid?: string;
  frameOfReferenceUid?: string;
  /** SOP class of the source slices (CT Image Storage when unknown). */
  sopClassUid?: string;
  /** SOP Instance UID of source slice z (same order as the label volume's z), when the source is DICOM. */
  sopInstanceUids?: string[];
  patientName?: string;
  patientId?: string;
}

export interface SegmentationWriteOptions {
  /** Seed text for UIDs that the source does not provide (study, frame of reference, SEG series/instance). */
  uidSeed: string;
  source?: SegmentationSource;
  /** Copy PatientName/PatientID from the source (default: empty, type-2 attributes left blank). */
  keepIdentifiers?: boolean;
  seriesNumber?: number;
  seriesDescription?: string;
  /** Name recorded as SegmentAlgorithmName (e.g. the model). */
  algorithmName?: string;
  segments?: readonly SegmentDefinition[];
}

const ds = (x: number) => Number(x.toPrecision(10));

/** Reads the UIDs (and optionally patient name/ID) of source slices, in the given order, without pixel data. */
export function segmentationSourceFromFiles(files: readonly string[], keepIdentifiers = false): SegmentationSource {
  const heads = files.map((f) => {
    try {
      const buf = readFileSync(f);
      const msg = DicomMessage.readFile(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), { untilTag: '7FE00010' });
      return DicomMetaDictionary.naturalizeDataset(msg.dict);
    } catch (e) {
      throw new InputError(`unreadable DICOM header: ${(e as Error).message.split('\n')[0]}`, f);
    }
  });
  const first = heads[0] ?? {};
  return {
    studyUid: first.StudyInstanceUID,
    seriesUid: first.SeriesInstanceUID,
    frameOfReferenceUid: first.FrameOfReferenceUID,
    sopClassUid: first.SOPClassUID,
    sopInstanceUids: heads.map((h) => h.SOPInstanceUID),
    ...(keepIdentifiers ? { patientName: personName(first.PatientName), patientId: first.PatientID } : {}),
  };
}

function personName(v: unknown): string | undefined {
  const p = Array.isArray(v) ? v[0] : v;
  if (p && typeof p === 'object' && 'Alphabetic' in p) return String((p as { Alphabetic: string }).Alphabetic);
  return p === undefined ? undefined : String(p);
}

/** Packs 0/1 pixels LSB-first (DICOM's bit order for BitsAllocated = 1), frames back to back. */
function packBits(bits: Uint8Array): Uint8Array {
  const bytes = Math.ceil(bits.length / 8);
  const out = new Uint8Array(bytes + (bytes & 1)); // DICOM values have even length
  for (let i = 0; i < bits.length; i++) if (bits[i]) out[i >> 3] |= 1 << (i & 7);
  return out;
}

/** Frames (segment, z) that hold at least one voxel; SEG may omit empty frames. */
function nonEmptyFrames(labels: LabelVolume, segments: readonly SegmentDefinition[]): { segment: number; z: number }[] {
  const [nz, ny, nx] = labels.shape;
  const plane = ny * nx;
  const present = new Uint8Array(nz * 256);
  for (let z = 0; z < nz; z++) for (let i = z * plane, e = i + plane; i < e; i++) present[z * 256 + labels.data[i]] = 1;
  const frames: { segment: number; z: number }[] = [];
  segments.forEach((s, k) => {
    for (let z = 0; z < nz; z++) if (present[z * 256 + s.labelValue]) frames.push({ segment: k + 1, z });
  });
  // a SEG needs ≥ 1 frame: an empty segmentation keeps one blank frame of segment 1
  if (frames.length === 0) frames.push({ segment: 1, z: 0 });
  return frames;
}

/** Position (LPS mm) of slice z's first voxel. */
function slicePosition(g: Geometry, z: number): number[] {
  const d = g.direction;
  return [0, 1, 2].map((r) => ds(g.origin[r] + d[r * 3 + 2] * z * g.spacing[0]));
}

/**
 * Writes a label volume as one binary DICOM SEG file (explicit VR little endian), atomically.
 * Frames are (segment, slice) pairs holding voxels; each names its source slice when known.
 */
export function writeSegmentationDicom(file: string, labels: LabelVolume, opts: SegmentationWriteOptions): void {
  const [nz, ny, nx] = labels.shape;
  const plane = ny * nx;
  const segments = opts.segments ?? COVSEG_SEGMENTS;
  const src = opts.source ?? {};
  if (src.sopInstanceUids && src.sopInstanceUids.length !== nz) {
    throw new InputError(`source has ${src.sopInstanceUids.length} slices, label volume ${nz}`, file);
  }
  const frames = nonEmptyFrames(labels, segments);
  const bits = new Uint8Array(frames.length * plane);
  frames.forEach((f, k) => {
    const value = segments[f.segment - 1].labelValue;
    const off = f.z * plane;
    for (let i = 0; i < plane; i++) bits[k * plane + i] = labels.data[off + i] === value ? 1 : 0;
  });
  const d = labels.direction;
  const orientation = [d[0], d[3], d[6], d[1], d[4], d[7]].map(ds);
  const studyUid = src.studyUid ?? uidFrom(`${opts.uidSeed}:study`);
  const frameUid = src.frameOfReferenceUid ?? uidFrom(`${opts.uidSeed}:frame`);
  const seriesUid = uidFrom(`${opts.uidSeed}:seg-series`);
  const sopUid = uidFrom(`${opts.uidSeed}:seg-instance`);
  const orgUid = uidFrom(`${opts.uidSeed}:dimension-organization`);
  const srcClass = src.sopClassUid ?? CT_IMAGE_STORAGE;
  const now = new Date();
  const date = now.toISOString().slice(0, 10).replace(/-/g, '');
  const time = now.toISOString().slice(11, 19).replace(/:/g, '');
  const sourceRef = (z: number) =>
    src.sopInstanceUids
      ? {
          DerivationImageSequence: [
            {
              DerivationCodeSequence: [{ CodeValue: '113076', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Segmentation' }],
              SourceImageSequence: [
                {
                  ReferencedSOPClassUID: srcClass,
                  ReferencedSOPInstanceUID: src.sopInstanceUids![z],
                  PurposeOfReferenceCodeSequence: [{ CodeValue: '121322', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Source image for image processing operation' }],
                },
              ],
            },
          ],
        }
      : {};
  const dataset: Record<string, any> = {
    SOPClassUID: SEGMENTATION_STORAGE,
    SOPInstanceUID: sopUid,
    StudyInstanceUID: studyUid,
    SeriesInstanceUID: seriesUid,
    FrameOfReferenceUID: frameUid,
    PositionReferenceIndicator: '',
    Modality: 'SEG',
    PatientName: opts.keepIdentifiers ? (src.patientName ?? '') : '',
    PatientID: opts.keepIdentifiers ? (src.patientId ?? '') : '',
    PatientBirthDate: '',
    PatientSex: '',
    StudyDate: '',
    StudyTime: '',
    ReferringPhysicianName: '',
    StudyID: '',
    AccessionNumber: '',
    Manufacturer: 'covseg',
    ManufacturerModelName: 'covseg',
    DeviceSerialNumber: '0',
    SoftwareVersions: '0.1.0',
    SeriesNumber: opts.seriesNumber ?? 9901,
    SeriesDescription: opts.seriesDescription ?? 'covseg segmentation',
    InstanceNumber: 1,
    ContentDate: date,
    ContentTime: time,
    ContentLabel: 'COVSEG',
    ContentDescription: 'lung, GGO, consolidation, vessels',
    ContentCreatorName: '',
    ImageType: ['DERIVED', 'PRIMARY'],
    SegmentationType: 'BINARY',
    LossyImageCompression: '00',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: ny,
    Columns: nx,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    NumberOfFrames: frames.length,
    SegmentSequence: segments.map((s, k) => ({
      SegmentNumber: k + 1,
      SegmentLabel: s.label,
      SegmentAlgorithmType: 'AUTOMATIC',
      SegmentAlgorithmName: opts.algorithmName ?? 'covseg',
      SegmentedPropertyCategoryCodeSequence: [s.category],
      SegmentedPropertyTypeCodeSequence: [s.type],
      RecommendedDisplayCIELabValue: s.cieLab,
    })),
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: orgUid }],
    DimensionIndexSequence: [
      { DimensionOrganizationUID: orgUid, DimensionIndexPointer: 0x0062000b, FunctionalGroupPointer: 0x0062000a, DimensionDescriptionLabel: 'ReferencedSegmentNumber' },
      { DimensionOrganizationUID: orgUid, DimensionIndexPointer: 0x00200032, FunctionalGroupPointer: 0x00209113, DimensionDescriptionLabel: 'ImagePositionPatient' },
    ],
    SharedFunctionalGroupsSequence: [
      {
        PlaneOrientationSequence: [{ ImageOrientationPatient: orientation }],
        PixelMeasuresSequence: [{ PixelSpacing: [ds(labels.spacing[1]), ds(labels.spacing[2])], SliceThickness: ds(labels.spacing[0]), SpacingBetweenSlices: ds(labels.spacing[0]) }],
      },
    ],
    PerFrameFunctionalGroupsSequence: frames.map((f) => ({
      FrameContentSequence: [{ DimensionIndexValues: [f.segment, f.z + 1] }],
      PlanePositionSequence: [{ ImagePositionPatient: slicePosition(labels, f.z) }],
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: f.segment }],
      ...sourceRef(f.z),
    })),
    ...(src.seriesUid
      ? {
          ReferencedSeriesSequence: [
            {
              SeriesInstanceUID: src.seriesUid,
              ReferencedInstanceSequence: (src.sopInstanceUids ?? []).map((u) => ({ ReferencedSOPClassUID: srcClass, ReferencedSOPInstanceUID: u })),
            },
          ],
        }
      : {}),
    PixelData: packBits(bits).buffer,
    _vrMap: { PixelData: 'OB' },
  };
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: SEGMENTATION_STORAGE,
    MediaStorageSOPInstanceUID: sopUid,
    TransferSyntaxUID: EXPLICIT_LE,
    ImplementationClassUID: uidFrom('covseg'),
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  writeFileAtomicSync(file, new Uint8Array(dict.write()));
}

/** A SEG read back: labels on the source grid (by frame dimension index), referenced series and segment names. */
export interface SegmentationRead {
  labels: Uint8Array;
  shape: [number, number, number];
  referencedSeriesUid?: string;
  studyUid: string;
  frameOfReferenceUid: string;
  segmentLabels: string[];
  patientName: string;
  patientId: string;
}

/** Reads a covseg binary SEG back into label values (segment k → its label value); `nz` = source slice count. */
export function readSegmentationDicom(file: string, nz: number, segments: readonly SegmentDefinition[] = COVSEG_SEGMENTS): SegmentationRead {
  let ds: any;
  try {
    const buf = readFileSync(file);
    ds = DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)).dict);
  } catch (e) {
    throw new InputError(`unreadable DICOM SEG: ${(e as Error).message.split('\n')[0]}`, file);
  }
  if (ds.SOPClassUID !== SEGMENTATION_STORAGE) throw new InputError(`not a DICOM SEG (SOP class ${ds.SOPClassUID})`, file);
  const ny = Number(ds.Rows);
  const nx = Number(ds.Columns);
  const plane = ny * nx;
  const pixels = new Uint8Array(Array.isArray(ds.PixelData) ? ds.PixelData[0] : ds.PixelData);
  const frames = Array.isArray(ds.PerFrameFunctionalGroupsSequence) ? ds.PerFrameFunctionalGroupsSequence : [ds.PerFrameFunctionalGroupsSequence];
  const labels = new Uint8Array(nz * plane);
  const one = (v: any) => (Array.isArray(v) ? v[0] : v);
  frames.forEach((f: any, k: number) => {
    const [segment, zIndex] = one(f.FrameContentSequence).DimensionIndexValues.map(Number);
    const value = segments[segment - 1].labelValue;
    const off = (zIndex - 1) * plane;
    for (let i = 0; i < plane; i++) {
      const bit = k * plane + i;
      if (pixels[bit >> 3] & (1 << (bit & 7))) labels[off + i] = value;
    }
  });
  const segs = Array.isArray(ds.SegmentSequence) ? ds.SegmentSequence : [ds.SegmentSequence];
  const ref = ds.ReferencedSeriesSequence ? one(ds.ReferencedSeriesSequence) : undefined;
  return {
    labels,
    shape: [nz, ny, nx],
    referencedSeriesUid: ref?.SeriesInstanceUID,
    studyUid: ds.StudyInstanceUID,
    frameOfReferenceUid: ds.FrameOfReferenceUID,
    segmentLabels: segs.map((s: any) => s.SegmentLabel),
    patientName: personName(ds.PatientName) ?? '',
    patientId: ds.PatientID ?? '',
  };
}
