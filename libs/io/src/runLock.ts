import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { InputError } from './errors.js';
import { tempPathFor } from './atomicWrite.js';

/** File name of the lock a run holds in its folder (a sharded worker's carries `-shard-k-of-n`). */
export const RUN_LOCK = '.covseg-lock';

/** Who holds a run folder: written into the lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  /** Process start time in clock ticks since boot (Linux /proc), so a reused pid is not taken for the holder. */
  startTicks: number | null;
  command: string;
  since: string;
}

/** A held lock: release() removes it (idempotent; also done at process exit). */
export interface RunLock {
  file: string;
  release(): void;
}

/** Start time of process `pid` in clock ticks since boot, or null where /proc is not there. */
function startTicksOf(pid: number): number | null {
  try {
    // field 22 of /proc/PID/stat; the command name (field 2) may hold spaces, so count from its closing ')'
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return null;
  }
}

/** True when the holder's process is gone: same host and no such pid (or the pid now belongs to a later process). */
export function isStale(h: LockHolder, here = hostname()): boolean {
  if (h.host !== here) return false; // another machine's pid cannot be checked from here
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return true;
  }
  const ticks = startTicksOf(h.pid);
  return h.startTicks !== null && ticks !== null && ticks !== h.startTicks;
}

function readHolder(file: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8'));
    return typeof h?.pid === 'number' && typeof h?.host === 'string' ? h : null;
  } catch {
    return null;
  }
}

const describeHolder = (h: LockHolder, file: string) =>
  `in use by another covseg run (pid ${h.pid} on ${h.host}, since ${h.since}: ${h.command}); wait for it to finish, or, if that run is gone, delete ${file}`;

/** Locks held by this process, removed at exit even when it ends through process.exit (a second Ctrl-C). */
const held = new Set<string>();
process.on('exit', () => {
  for (const f of held) rmSync(f, { force: true });
});

/**
 * Takes the lock of run folder `dir` for this process: one covseg run per folder. A lock left by a
 * process that is gone (same host, pid dead or reused) is taken over; a live one, or one from another
 * host, refuses with an InputError naming the holder. Sharded workers (`shard` = 'k-of-n') lock their own
 * share: workers of different shards share the folder, a whole run excludes them all. A live whole-run
 * lock on a parent folder (`covseg pipeline --out` above it) refuses too.
 */
export function acquireRunLock(dir: string, opts: { command: string; shard?: string }): RunLock {
  const folder = resolve(dir);
  for (let parent = dirname(folder); parent !== dirname(parent); parent = dirname(parent)) refuseIfLive(join(parent, RUN_LOCK), folder);
  const created = mkdirSync(folder, { recursive: true }); // the first folder it made, if any
  const removeCreated = () => {
    // a run that made the folder and left nothing in it (e.g. refused its input) leaves no empty folder behind
    for (let d = folder; created && d.startsWith(created); d = dirname(d)) {
      try {
        rmdirSync(d);
      } catch {
        return;
      }
    }
  };
  const file = join(folder, opts.shard ? `${RUN_LOCK}-shard-${opts.shard}` : RUN_LOCK);
  if (held.has(file)) throw new InputError(`this process already holds ${file}`, folder);
  const me: LockHolder = { pid: process.pid, host: hostname(), startTicks: startTicksOf(process.pid), command: opts.command, since: new Date().toISOString() };
  const tmp = tempPathFor(file);
  writeFileSync(tmp, JSON.stringify(me) + '\n');
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, file); // fails with EEXIST when another run holds it: create-if-absent with its content in one step
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
        refuseIfLive(file, folder);
        removeStale(file, folder);
      }
    }
  } catch (e) {
    removeCreated();
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new InputError(describeHolder(readHolder(file) ?? me, file), folder);
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  held.add(file);
  const release = () => {
    if (!held.delete(file)) return;
    rmSync(file, { force: true });
    removeCreated();
  };
  // a whole run and shard workers exclude each other: check the others after taking ours (no window between)
  const others = readdirSync(folder).filter((f) => f.startsWith(RUN_LOCK) && !f.endsWith(BREAK_SUFFIX) && join(folder, f) !== file && (opts.shard ? f === RUN_LOCK : true));
  for (const f of others) {
    try {
      refuseIfLive(join(folder, f), folder);
    } catch (e) {
      release();
      throw e;
    }
  }
  return { file, release };
}

/** Breaking a stale lock takes this lock first, so two runs that both found it stale cannot both take over. */
const BREAK_SUFFIX = '.break';
/** A breaker lock older than this was left by a process that died while breaking (it is held for milliseconds). */
const BREAK_STALE_MS = 10_000;

/** Removes the stale lock `file`, unless another run took it over meanwhile (then refuses naming that run). */
function removeStale(file: string, folder: string): void {
  const breaker = file + BREAK_SUFFIX;
  try {
    if (Date.now() - statSync(breaker).mtimeMs > BREAK_STALE_MS) rmSync(breaker, { force: true });
  } catch {
    /* no breaker lock */
  }
  try {
    writeFileSync(breaker, String(process.pid), { flag: 'wx' });
  } catch {
    throw new InputError(`in use by another covseg run (it is taking over the stale lock ${file} this instant)`, folder);
  }
  try {
    refuseIfLive(file, folder); // read again under the breaker lock: another run may have replaced the stale one
    rmSync(file, { force: true });
  } finally {
    rmSync(breaker, { force: true });
  }
}

/** Throws the holder's message when `file` is a live lock (not this process's own). */
function refuseIfLive(file: string, folder: string): void {
  if (!existsSync(file)) return;
  const h = readHolder(file);
  // an unreadable lock is one being written this instant (link makes it whole at once) or damaged: treat as held
  if (!h) throw new InputError(`in use by another covseg run (unreadable lock file ${file}; delete it if no run is going on)`, folder);
  if (h.pid === process.pid && h.host === hostname() && held.has(file)) return;
  if (!isStale(h)) throw new InputError(describeHolder(h, file), folder);
}
