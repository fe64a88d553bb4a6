import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The Debian python that has the peers (not a pyenv/venv python3 on PATH). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/**
 * Makes sure the Debian packages for a Python peer are installed (apt-get, as the bench runs as root),
 * saying so when it installs. Returns false (with the reason printed) when they cannot be had.
 */
export function ensureDebianPeer(modules: string[], packages: string[]): boolean {
  const probe = () => spawnSync(DEBIAN_PYTHON, ['-c', modules.map((m) => `import ${m}`).join(';')], { encoding: 'utf8' }).status === 0;
  if (probe()) return true;
  console.log(`bench: installing Python peer from Debian packages: ${packages.join(' ')} (apt-get)`);
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0 || !probe()) {
    console.log(`bench: peer unavailable (${packages.join(' ')} could not be installed); ratios will be missing`);
    return false;
  }
  return true;
}

/** Runs a Python peer script; returns its parsed JSON stdout (last line). */
export function runPeer(script: string, args: string[] = [], env: Record<string, string> = {}): any {
  const r = spawnSync(DEBIAN_PYTHON, [script, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`peer ${script} failed: ${r.stderr.split('\n').slice(-5).join(' ')}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** Peak resident set size of this process so far, MB. */
export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Writes bench/out/<name>.json. */
export function writeBenchResult(name: string, result: unknown): void {
  const dir = new URL('./out/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(result, null, 2) + '\n');
}
