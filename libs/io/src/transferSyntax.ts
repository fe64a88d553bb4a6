import { InputError } from './errors.js';

/** How covseg decodes a transfer syntax's pixel data: itself ('native', uncompressed after dcmjs parsed it) or through GDCM ('gdcm', itk-wasm). */
export type PixelDecoder = 'native' | 'gdcm';

export interface TransferSyntaxInfo {
  name: string;
  decoder: PixelDecoder;
  /** True when the stored values were encoded lossily (the HU are close to, not equal to, the scanner's). */
  lossy: boolean;
  /** Byte order of native 16-bit pixel data. */
  bigEndian?: boolean;
}

/** The DICOM transfer syntaxes covseg reads, by UID (each is tested against GDCM's decoding: libs/io/test/dicom-syntaxes). */
export const TRANSFER_SYNTAXES: Readonly<Record<string, TransferSyntaxInfo>> = {
  '1.2.840.10008.1.2': { name: 'Implicit VR Little Endian', decoder: 'native', lossy: false },
  '1.2.840.10008.1.2.1': { name: 'Explicit VR Little Endian', decoder: 'native', lossy: false },
  '1.2.840.10008.1.2.1.99': { name: 'Deflated Explicit VR Little Endian', decoder: 'native', lossy: false },
  '1.2.840.10008.1.2.2': { name: 'Explicit VR Big Endian', decoder: 'native', lossy: false, bigEndian: true },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline (process 1)', decoder: 'gdcm', lossy: true },
  '1.2.840.10008.1.2.4.51': { name: 'JPEG Extended (process 2 & 4)', decoder: 'gdcm', lossy: true },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless (process 14)', decoder: 'gdcm', lossy: false },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG Lossless (process 14, first-order prediction)', decoder: 'gdcm', lossy: false },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', decoder: 'gdcm', lossy: false },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Near-Lossless', decoder: 'gdcm', lossy: true },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 (lossless only)', decoder: 'gdcm', lossy: false },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', decoder: 'gdcm', lossy: true },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', decoder: 'gdcm', lossy: false },
};

/** The transfer syntax of `uid`, or a one-line InputError naming the file and the syntaxes covseg reads. */
export function transferSyntaxOf(uid: string, file: string): TransferSyntaxInfo {
  const ts = TRANSFER_SYNTAXES[uid];
  if (!ts) {
    const known = [...new Set(Object.values(TRANSFER_SYNTAXES).map((t) => t.name.replace(/ \(.*\)$/, '')))].join(', ');
    throw new InputError(`transfer syntax ${uid} is not supported (covseg reads: ${known})`, file);
  }
  return ts;
}
