/**
 * A fuzz worker: a child process that runs the covseg CLI's main() on one command line at a time and
 * reports what a user would have seen (exit code, stdout, stderr) — far cheaper than a process per case.
 * Whatever would have killed a real CLI process (an uncaught exception, a rejection nobody handled) is
 * reported, and the worker then exits so the next case starts clean.
 */
import { main } from '../main.js';

interface Job {
  id: number;
  argv: string[];
}

/** process.exit() inside a case (yargs, a second Ctrl-C) ends the case, not the worker. */
class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

const out = { stdout: '', stderr: '' };
const realExit = process.exit.bind(process);
let uncaught: string | undefined;
let busy = false;

const capture = (stream: 'stdout' | 'stderr') =>
  ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    out[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stdout.write;

for (const ev of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(ev, (e: unknown) => {
    uncaught = e instanceof Error ? (e.stack ?? e.message) : String(e);
    if (!busy) realExit(70); // between cases nobody will report it: start afresh
  });
}

process.on('message', async (job: Job) => {
  busy = true;
  out.stdout = out.stderr = '';
  uncaught = undefined;
  process.exitCode = 0;
  const [w1, w2] = [process.stdout.write, process.stderr.write];
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  process.exit = ((code?: number) => {
    throw new ExitCalled(code ?? Number(process.exitCode ?? 0));
  }) as typeof process.exit;
  const t0 = performance.now();
  let code: number;
  try {
    await main([...job.argv, '--quiet']);
    await new Promise((r) => setImmediate(r)); // a rejection left behind by the case surfaces here
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof ExitCalled) code = e.code;
    else {
      // main() itself threw: a real process would print the stack and exit 1
      uncaught ??= e instanceof Error ? (e.stack ?? e.message) : String(e);
      code = 1;
    }
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    process.exit = realExit;
  }
  busy = false;
  process.exitCode = 0;
  process.send!({ id: job.id, code, stdout: out.stdout, stderr: out.stderr, uncaught, ms: performance.now() - t0 }, () => {
    if (uncaught) realExit(70);
  });
});
process.send!({ ready: true });
