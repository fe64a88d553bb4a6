import type { FuzzCase } from './formats.js';

/** What one CLI run showed its user. */
export interface RunResult {
  /** Exit code (null when killed). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed after the time limit. */
  timedOut: boolean;
  /** The process running it died (signal or fatal error) instead of returning an exit code. */
  died?: string;
  /** An exception nobody caught (a real CLI process would print its stack and die). */
  uncaught?: string;
  ms: number;
}

/** Outcomes a user may see: a valid output, or one clean line. Anything else is a crash of one of these kinds. */
export const CRASH_KINDS = ['hang', 'oom', 'died', 'stack-trace', 'library-output', 'bare-number', 'bad-message', 'unnamed-file', 'multi-line', 'silent-failure', 'partial-output', 'invalid-output'] as const;
export type Outcome = 'ok' | 'clean-error' | (typeof CRASH_KINDS)[number];

/** itk-wasm / Emscripten / DCMTK lines that must never reach a user. */
const LIBRARY_LINES = /Exception while running pipeline|\*\* ERROR|Build module in Debug mode|itk::|ExceptionObject|emscripten|RuntimeError: |Aborted\(|^stdout: |^stderr: /im;
/** A JavaScript stack frame. */
const STACK_FRAME = /^\s+at .+(\(.+:\d+:\d+\)|:\d+:\d+)$/m;
/** A note the CLI prints on success about what it skipped (not an error line). */
const NOTE = /^covseg \S+: note: /;
/** Signs of a message built from a value nobody checked. */
const BAD_WORDS = /\bundefined\b|\[object Object\]|Symbol\(/;

/** Classifies a run of `c`: ok (exit 0, valid output), clean-error (exit ≠ 0, one `covseg: <file>: <reason>` line, nothing left) or a crash kind. */
export async function classify(c: FuzzCase, r: RunResult): Promise<{ outcome: Outcome; detail: string }> {
  if (r.timedOut) return { outcome: 'hang', detail: `no exit after ${r.ms} ms` };
  if (r.died) return /heap out of memory|allocation failed|ENOMEM|SIGKILL|SIGABRT/i.test(r.died + r.stderr) ? { outcome: 'oom', detail: r.died } : { outcome: 'died', detail: r.died };
  const all = `${r.stdout}\n${r.stderr}`;
  if (r.uncaught) return { outcome: 'stack-trace', detail: `uncaught: ${r.uncaught.split('\n').slice(0, 3).join(' | ')}` };
  const lib = LIBRARY_LINES.exec(all);
  if (lib) return { outcome: 'library-output', detail: lineOf(all, lib.index) };
  const frame = STACK_FRAME.exec(all);
  if (frame) return { outcome: 'stack-trace', detail: lineOf(all, frame.index) };
  if (r.code === 0) {
    const invalid = await c.validate();
    if (invalid) return { outcome: 'invalid-output', detail: invalid };
    return { outcome: 'ok', detail: '' };
  }
  const lines = r.stderr.split('\n').map((l) => l.trimEnd()).filter((l) => l && !NOTE.test(l));
  if (!lines.length) return { outcome: 'silent-failure', detail: `exit ${r.code}, nothing on stderr` };
  if (lines.length > 1) return { outcome: 'multi-line', detail: lines.slice(0, 3).join(' | ') };
  const line = lines[0];
  // `covseg: <file or option>: <reason>`: a usage error names the option instead of a file
  if (!/^covseg: .+: .+/.test(line) && !/^covseg: --\S+/.test(line)) return { outcome: 'bad-message', detail: line };
  if (/:\s*-?\d+$/.test(line)) return { outcome: 'bare-number', detail: line };
  if (BAD_WORDS.test(line)) return { outcome: 'bad-message', detail: line };
  if (!c.names.some((n) => line.includes(n)) && !/^covseg: --\S+/.test(line)) return { outcome: 'unnamed-file', detail: line };
  const left = c.leftBehind();
  if (left) return { outcome: 'partial-output', detail: `${line} — but ${left}` };
  return { outcome: 'clean-error', detail: line };
}

const lineOf = (text: string, at: number) => text.slice(text.lastIndexOf('\n', at) + 1, (text.indexOf('\n', at) + 1 || text.length + 1) - 1).trim().slice(0, 200);
