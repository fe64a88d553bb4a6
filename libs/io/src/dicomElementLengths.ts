/** VRs whose explicit-VR encoding has 2 reserved bytes and a 4-byte length. */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const IMPLICIT_LITTLE = '1.2.840.10008.1.2';
const EXPLICIT_BIG = '1.2.840.10008.1.2.2';
/** Deflated explicit VR little endian: the dataset is a deflate stream, its elements are not in the file's bytes. */
const DEFLATED = '1.2.840.10008.1.2.1.99';
const hex = (n: number) => n.toString(16).padStart(4, '0');

/**
 * Walks the top-level elements of a Part-10 file and returns the first one whose VR is not a VR or whose
 * declared length runs past the end of the file (null when all fit). dcmjs trusts those lengths: a damaged
 * one made it read gigabytes past the buffer and crash Node itself (fuzz campaign, seed 2). The walk stops
 * at an undefined length (sequences, encapsulated pixel data), which dcmjs parses by its delimiters.
 */
export function dicomLengthProblem(b: Buffer): string | null {
  let p = 132;
  let explicit = true, little = true, inMeta = true;
  while (p < b.length) {
    if (p + 8 > b.length) return `element header cut off at byte ${p} (truncated file)`;
    let group = b.readUInt16LE(p);
    if (inMeta && group !== 0x0002) {
      // the dataset's encoding is the meta group's transfer syntax
      inMeta = false;
      const ts = transferSyntax(b);
      if (ts === DEFLATED) return null;
      explicit = ts !== IMPLICIT_LITTLE;
      little = ts !== EXPLICIT_BIG;
    }
    if (!little) group = b.readUInt16BE(p);
    const element = little ? b.readUInt16LE(p + 2) : b.readUInt16BE(p + 2);
    const tag = `(${hex(group)},${hex(element)})`;
    let length: number, header: number;
    if (!explicit || group === 0xfffe) {
      length = little ? b.readUInt32LE(p + 4) : b.readUInt32BE(p + 4);
      header = 8;
    } else {
      const vr = b.toString('latin1', p + 4, p + 6);
      if (!/^[A-Z]{2}$/.test(vr)) return `element ${tag} has no valid VR (${JSON.stringify(vr)}): corrupt file`;
      if (LONG_VRS.has(vr)) {
        if (p + 12 > b.length) return `element ${tag} header cut off (truncated file)`;
        length = little ? b.readUInt32LE(p + 8) : b.readUInt32BE(p + 8);
        header = 12;
      } else {
        length = little ? b.readUInt16LE(p + 6) : b.readUInt16BE(p + 6);
        header = 8;
      }
    }
    if (length === 0xffffffff) return null;
    if (p + header + length > b.length) return `element ${tag} declares ${length} bytes, ${b.length - p - header} remain (truncated or corrupt file)`;
    p += header + length;
  }
  return null;
}

/** The meta group's TransferSyntaxUID (0002,0010), or undefined. */
function transferSyntax(b: Buffer): string | undefined {
  let p = 132;
  while (p + 8 <= b.length && b.readUInt16LE(p) === 0x0002) {
    const element = b.readUInt16LE(p + 2);
    const vr = b.toString('latin1', p + 4, p + 6);
    const long = LONG_VRS.has(vr);
    const length = long ? b.readUInt32LE(p + 8) : b.readUInt16LE(p + 6);
    const at = p + (long ? 12 : 8);
    if (element === 0x0010) return b.toString('latin1', at, at + length).replace(/[\0 ]+$/, '');
    p = at + length;
  }
  return undefined;
}
