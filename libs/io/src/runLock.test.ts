import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireRunLock, RUN_LOCK, type LockHolder } from './runLock.js';

const root = mkdtempSync(join(tmpdir(), 'covseg-lock-'));
/** A live process that is not this one (it sleeps until killed). */
const sleeper = spawn('sleep', ['300']);
afterAll(() => sleeper.kill());
const ticks = (pid: number) => {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[19]);
};
const holder = (pid: number, over: Partial<LockHolder> = {}): LockHolder => ({ pid, host: hostname(), startTicks: existsSync(`/proc/${pid}`) ? ticks(pid) : null, command: 'covseg test', since: '2026-01-01T00:00:00.000Z', ...over });
const writeLock = (dir: string, h: LockHolder, name = RUN_LOCK) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), JSON.stringify(h));
};
const deadPid = () => spawnSync('true').pid!; // exited: its pid names no process (until reused)

describe('run-folder lock', () => {
  it('records pid, host and command; release removes it and the folder it created, if left empty', () => {
    const dir = join(root, 'fresh', 'run');
    const lock = acquireRunLock(dir, { command: 'covseg pipeline' });
    const h = JSON.parse(readFileSync(lock.file, 'utf8'));
    expect(h).toMatchObject({ pid: process.pid, host: hostname(), command: 'covseg pipeline', startTicks: ticks(process.pid) });
    expect(() => acquireRunLock(dir, { command: 'again' })).toThrow(/already holds/);
    lock.release();
    expect(existsSync(join(root, 'fresh'))).toBe(false);
  });

  it('refuses a folder held by a live process, naming it', () => {
    const dir = join(root, 'held');
    writeLock(dir, holder(sleeper.pid!));
    expect(() => acquireRunLock(dir, { command: 'x' })).toThrow(new RegExp(`^${dir}: in use by another covseg run \\(pid ${sleeper.pid} on ${hostname()}, since 2026-01-01T00:00:00.000Z: covseg test\\); wait for it to finish, or, if that run is gone, delete ${dir}/${RUN_LOCK}$`));
    expect(JSON.parse(readFileSync(join(dir, RUN_LOCK), 'utf8')).pid).toBe(sleeper.pid); // untouched
  });

  it('takes over a stale lock: dead pid, or a pid reused by a later process', () => {
    for (const [name, h] of [['dead', holder(deadPid())], ['reused', holder(sleeper.pid!, { startTicks: 1 })]] as const) {
      const dir = join(root, name);
      writeLock(dir, h);
      const lock = acquireRunLock(dir, { command: 'x' });
      expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
      lock.release();
    }
  });

  it('refuses a lock from another host (its pid cannot be checked) and an unreadable one', () => {
    writeLock(join(root, 'remote'), holder(deadPid(), { host: 'node-17' }));
    expect(() => acquireRunLock(join(root, 'remote'), { command: 'x' })).toThrow(/in use by another covseg run \(pid \d+ on node-17/);
    mkdirSync(join(root, 'garbled'));
    writeFileSync(join(root, 'garbled', RUN_LOCK), '{"pid": 12');
    expect(() => acquireRunLock(join(root, 'garbled'), { command: 'x' })).toThrow(/unreadable lock file/);
  });

  it('lets workers of different shards share a folder; a whole run and a worker exclude each other', () => {
    const dir = join(root, 'shards');
    writeLock(dir, holder(sleeper.pid!), `${RUN_LOCK}-shard-1-of-2`);
    const second = acquireRunLock(dir, { command: 'x', shard: '2-of-2' });
    expect(() => acquireRunLock(dir, { command: 'x', shard: '1-of-2' })).toThrow(/in use by another covseg run \(pid/);
    expect(() => acquireRunLock(dir, { command: 'x' })).toThrow(/in use by another covseg run \(pid/);
    expect(existsSync(join(dir, RUN_LOCK))).toBe(false); // the refused whole run took its lock back
    second.release();
    const whole = join(root, 'whole');
    writeLock(whole, holder(sleeper.pid!));
    expect(() => acquireRunLock(whole, { command: 'x', shard: '1-of-2' })).toThrow(/in use/);
  });

  it('refuses a folder inside a run folder held by a live pipeline', () => {
    writeLock(join(root, 'run'), holder(sleeper.pid!, { command: 'covseg pipeline' }));
    expect(() => acquireRunLock(join(root, 'run', 'unet-a'), { command: 'covseg train' })).toThrow(/in use by another covseg run .*covseg pipeline/);
    expect(existsSync(join(root, 'run', 'unet-a'))).toBe(false);
  });
});
