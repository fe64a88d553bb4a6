import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The system Python that has Debian's python3-onnx (not a pyenv python3 on PATH). */
export const SYSTEM_PYTHON = '/usr/bin/python3';
/** Exit code the check script uses when the onnx module is missing. */
const MISSING_MODULE = 3;
/** Seconds the checker may run. */
const CHECKER_TIMEOUT_MS = 120_000;

const SCRIPT = `
import sys
try:
    import onnx
except ImportError:
    sys.exit(${MISSING_MODULE})
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
print("onnx " + onnx.__version__)
`;

/** Result of the independent ONNX checker. */
export interface CheckerResult {
  status: 'passed' | 'failed' | 'skipped';
  message: string;
}

/** Runs onnx.checker.check_model(full_check=True) from Debian's python3-onnx; 'skipped' when it is not installed. */
export function runOnnxChecker(file: string, python = SYSTEM_PYTHON): CheckerResult {
  if (!existsSync(python)) return { status: 'skipped', message: `${python} not found: ONNX checker skipped` };
  const r = spawnSync(python, ['-c', SCRIPT, file], { encoding: 'utf8', timeout: CHECKER_TIMEOUT_MS });
  if (r.status === MISSING_MODULE) return { status: 'skipped', message: 'python3-onnx not installed (apt-get install python3-onnx): ONNX checker skipped' };
  if (r.status === 0) return { status: 'passed', message: `onnx.checker.check_model(full_check=True) passed (${r.stdout.trim()})` };
  const lines = (r.stderr || r.stdout || String(r.error ?? '')).trim().split('\n');
  return { status: 'failed', message: `onnx.checker: ${lines.at(-1)}` };
}
