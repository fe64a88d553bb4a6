import { dicomFolderNotes } from '@covseg/io';

/** Prints on stderr what the DICOM reader did quietly with INPUT (files skipped, series left out): one `command: note:` line each. */
export function printInputNotes(command: string, input: string, series?: string): void {
  for (const n of dicomFolderNotes(input, { series })) process.stderr.write(`${command}: note: ${input}: ${n}\n`);
}
