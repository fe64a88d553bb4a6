import { runCli } from '@covseg/pipeline';
import { commands } from './commands/index.js';
import { VerifyFailed } from './commands/verify.js';

/** Exit codes: 1 error (bad input, conversion refused), 2 usage, 3 parity check failed. */
const EXIT = { error: 1, verifyFailed: 3 } as const;

/** Entry point of the `covseg-export` CLI. */
export function main(argv: string[]): Promise<void> {
  return runCli(argv, {
    name: 'covseg-export',
    usage: 'covseg-export <command> [options]\n\nExport trained covseg U-Nets to ONNX and check them against ONNX Runtime.',
    demand: 'name a command (see the list above)',
    commands,
    exitCodeOf: (e) => (e instanceof VerifyFailed ? EXIT.verifyFailed : EXIT.error),
  });
}
