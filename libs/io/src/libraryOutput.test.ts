import { describe, expect, it } from 'vitest';
import { captureLibraryOutput, LibraryFailure, libraryReason } from './libraryOutput.js';

describe('captureLibraryOutput', () => {
  it('keeps console lines off the terminal and returns them', async () => {
    const { value, printed } = await captureLibraryOutput(async () => {
      console.log('stdout: a\nb');
      console.error('** ERROR: nifti_convert_nhdr2nim: bad datatype');
      return 7;
    });
    expect(value).toBe(7);
    expect(printed).toEqual(['stdout: a', 'b', '** ERROR: nifti_convert_nhdr2nim: bad datatype']);
    expect(console.log.name).not.toBe(''); // restored
  });

  it('turns a bare thrown number into a LibraryFailure carrying the printed reason', async () => {
    const err = await captureLibraryOutput(async () => {
      console.log('Exception while running pipeline:');
      console.error('stderr: ** ERROR: nifti_convert_nhdr2nim: bad datatype');
      console.error('Build module in Debug mode for exception message information.');
      throw 183736;
    }).catch((e) => e);
    expect(err).toBeInstanceOf(LibraryFailure);
    expect(err.thrown).toBe(183736);
    expect(err.message).toBe('nifti_convert_nhdr2nim: bad datatype');
  });

  it('finds no reason in lines without an ERROR', () => {
    expect(libraryReason(['Exception while running pipeline:', 'stdout: '])).toBeUndefined();
    expect(libraryReason(['  Description: ITK ERROR: ImageFileReader(0x1): file too short'])).toBe('ITK ERROR: ImageFileReader(0x1): file too short');
  });
});
