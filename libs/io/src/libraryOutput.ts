/** What a library printed through `console` while one call ran, one entry per printed line. */
export type PrintedLines = string[];

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Runs `fn` with console.log/info/warn/error/debug captured instead of printed: itk-wasm prints its
 * readers' and writers' messages ("** ERROR: …", "Exception while running pipeline", "Build module in
 * Debug mode…") that way, and a user must see one covseg line, not the library's. Resolves to fn's value
 * and the captured lines; a throw of fn (itk-wasm throws a bare pointer number) becomes a LibraryFailure.
 */
export async function captureLibraryOutput<T>(fn: () => Promise<T>): Promise<{ value: T; printed: PrintedLines }> {
  const printed: PrintedLines = [];
  const saved = METHODS.map((m) => console[m]);
  for (const m of METHODS) console[m] = (...args: unknown[]) => void printed.push(...args.map(String).join(' ').split('\n'));
  try {
    return { value: await fn(), printed };
  } catch (e) {
    throw new LibraryFailure(e, printed);
  } finally {
    METHODS.forEach((m, i) => (console[m] = saved[i]));
  }
}

/** A library call that threw, with what the library printed meanwhile (its only account of why). */
export class LibraryFailure extends Error {
  constructor(readonly thrown: unknown, readonly printed: PrintedLines) {
    super(libraryReason(printed) ?? (thrown instanceof Error ? thrown.message.split('\n')[0] : 'the library failed without a reason'));
    this.name = 'LibraryFailure';
  }
}

/**
 * The library's own reason among printed lines, for a one-line message: an ITK / NIfTI / Emscripten
 * "ERROR:" or exception description, without its prefix; undefined when it printed none.
 */
export function libraryReason(printed: PrintedLines): string | undefined {
  for (const raw of printed) {
    const line = raw.trim().replace(/^(stderr|exception):\s*/i, '');
    const description = /^Description:\s*(.+)$/i.exec(line);
    if (description) return description[1].trim();
    const error = /^(?:\*\* )?ERROR:?\s*(.+)$/i.exec(line);
    if (error) return error[1].trim();
  }
  return undefined;
}

/**
 * ': <reason>' from a decoder's own error ('unknown JPEG marker a200', 'invalid block type'); nothing for an
 * error of the decoder's code itself (a TypeError on a structure the damaged file left undefined) that
 * says nothing about the file.
 */
export function decoderReason(e: unknown): string {
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) return '';
  const m = String((e as Error)?.message ?? e).split('\n')[0].trim();
  // DICOM calls a length of FFFFFFFF "undefined"; a user reads that word as a bug, so name the value instead
  return m ? `: ${m.replace(/\bundefined (binary )?length\b/gi, 'length FFFFFFFF (unspecified)')}` : '';
}
