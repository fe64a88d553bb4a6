import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@covseg/io';
import { classify, CRASH_KINDS, type Outcome, type RunResult } from './classify.js';
import { FORMATS, makeCase, writeSeeds, type FormatName, type FuzzCase } from './formats.js';

export interface CampaignOptions {
  seed: string | number;
  /** Cases in all, spread round-robin over `formats`. */
  cases: number;
  formats?: readonly FormatName[];
  /** Parallel workers (each a CLI process reused across cases). */
  jobs?: number;
  /** Per-case time limit, ms: past it the case is a hang. */
  timeoutMs?: number;
  /** Campaign folder: report.md, cases.jsonl, crashes/<case>/ (inputs kept for every crash). */
  out: string;
  /** V8 heap limit of a worker, MB (an allocation past it is an out-of-memory crash). */
  heapMb?: number;
  log?: (line: string) => void;
}

export interface CaseRecord {
  index: number;
  format: FormatName;
  what: string;
  argv: string[];
  outcome: Outcome;
  detail: string;
  ms: number;
}

const workerFile = new URL('./worker.ts', import.meta.url).pathname;

/** A CLI worker process that runs one case at a time; replaced after a hang, a death or an uncaught error. */
class Worker {
  private child!: ChildProcess;
  private ready!: Promise<void>;
  private pending: ((r: RunResult) => void) | null = null;
  private stderrTail = '';

  constructor(private readonly heapMb: number) {
    this.start();
  }

  private stopped = false;

  private start() {
    const child = fork(workerFile, [], { execArgv: ['--import', 'tsx', `--max-old-space-size=${this.heapMb}`], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child = child;
    this.stderrTail = '';
    child.stderr!.on('data', (d) => (this.stderrTail = (this.stderrTail + d).slice(-2000)));
    this.ready = new Promise((resolve) => child.once('message', () => resolve()));
    child.on('message', (m: any) => {
      if (m.ready || !this.pending || this.child !== child) return;
      const p = this.pending;
      this.pending = null;
      p({ code: m.code, stdout: m.stdout, stderr: m.stderr, uncaught: m.uncaught, timedOut: false, ms: m.ms });
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return; // an old worker, replaced on purpose
      if (!this.pending) {
        if (!this.stopped) this.start(); // died between cases: the next case gets a fresh one
        return;
      }
      const p = this.pending;
      this.pending = null;
      p({ code: null, stdout: '', stderr: this.stderrTail, timedOut: false, died: `worker died (${signal ?? `exit ${code}`}): ${this.stderrTail.trim().split('\n').slice(-2).join(' | ')}`, ms: 0 });
    });
  }

  async run(argv: string[], timeoutMs: number): Promise<RunResult> {
    await this.ready;
    const t0 = Date.now();
    const result = await new Promise<RunResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending = null;
        this.child.kill('SIGKILL');
        resolve({ code: null, stdout: '', stderr: '', timedOut: true, ms: Date.now() - t0 });
      }, timeoutMs);
      this.pending = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
      this.child.send({ id: t0, argv });
    });
    if (result.timedOut || result.died || result.uncaught) {
      const old = this.child;
      this.start();
      old.kill('SIGKILL');
    }
    return result;
  }

  stop() {
    this.stopped = true;
    this.child.kill('SIGKILL');
  }
}

/** Runs a seeded campaign; resolves to every case's record (also appended to OUT/cases.jsonl) and writes OUT/report.md. */
export async function runCampaign(opts: CampaignOptions): Promise<CaseRecord[]> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const formats = opts.formats ?? FORMATS;
  mkdirSync(opts.out, { recursive: true });
  const seeds = await writeSeeds(join(opts.out, 'seeds'));
  const work = join(opts.out, 'work');
  const jsonl = join(opts.out, 'cases.jsonl');
  writeFileSync(jsonl, '');
  const records: CaseRecord[] = [];
  const workers = Array.from({ length: opts.jobs ?? 1 }, () => new Worker(opts.heapMb ?? 4096));
  let next = 0;
  const t0 = Date.now();
  const runOne = async (w: Worker, index: number) => {
    const format = formats[index % formats.length];
    const rng = createRng(`fuzz:${opts.seed}:${index}`);
    const dir = join(work, String(index));
    let c: FuzzCase;
    try {
      c = makeCase(format, rng, seeds, dir);
    } catch (e) {
      throw new Error(`fuzz: could not build case ${index} (${format}): ${(e as Error).stack}`);
    }
    const r = await w.run(c.argv, opts.timeoutMs ?? 60_000);
    const { outcome, detail } = await classify(c, r);
    const rec: CaseRecord = { index, format, what: c.what, argv: c.argv, outcome, detail, ms: Math.round(r.ms) };
    records.push(rec);
    appendFileSync(jsonl, JSON.stringify(rec) + '\n');
    if (outcome !== 'ok' && outcome !== 'clean-error') {
      cpSync(dir, join(opts.out, 'crashes', String(index)), { recursive: true });
      writeFileSync(join(opts.out, 'crashes', String(index), 'case.json'), JSON.stringify({ ...rec, stdout: r.stdout, stderr: r.stderr, uncaught: r.uncaught }, null, 2));
      log(`fuzz: case ${index} (${format}) ${outcome}: ${c.what} → ${detail}`);
    }
    rmSync(dir, { recursive: true, force: true });
    if (records.length % 100 === 0) log(`fuzz: ${records.length}/${opts.cases} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  };
  try {
    await Promise.all(workers.map(async (w) => {
      while (next < opts.cases) await runOne(w, next++);
    }));
  } finally {
    for (const w of workers) w.stop();
  }
  records.sort((a, b) => a.index - b.index);
  writeFileSync(join(opts.out, 'report.md'), reportTable(records, { seed: opts.seed, seconds: (Date.now() - t0) / 1000 }));
  return records;
}

/** The per-format outcome table (markdown). */
export function reportTable(records: readonly CaseRecord[], meta: { seed: string | number | (string | number)[]; seconds: number }): string {
  const kinds = CRASH_KINDS.filter((k) => records.some((r) => r.outcome === k));
  const head = ['format', 'cases', 'ok (valid output)', 'clean error', ...kinds];
  const rows = [...new Set(records.map((r) => r.format))].map((f) => {
    const rs = records.filter((r) => r.format === f);
    const n = (o: Outcome) => rs.filter((r) => r.outcome === o).length;
    return [f, rs.length, n('ok'), n('clean-error'), ...kinds.map(n)];
  });
  const total = ['all', records.length, ...head.slice(2).map((_, i) => rows.reduce((s, r) => s + Number(r[i + 2]), 0))];
  const crashes = records.filter((r) => r.outcome !== 'ok' && r.outcome !== 'clean-error');
  return [
    `# covseg fuzz campaign (seed ${Array.isArray(meta.seed) ? meta.seed.join(', ') : meta.seed}, ${records.length} cases, ${meta.seconds.toFixed(0)} s)`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...[...rows, total].map((r) => `| ${r.join(' | ')} |`),
    '',
    crashes.length ? '## Crashes' : 'No crash, hang, out-of-memory or partial output.',
    ...crashes.map((r) => `- case ${r.index} (${r.format}, ${r.outcome}): ${r.what} → ${r.detail}`),
    '',
  ].join('\n');
}
