/** One line for stderr: the error's message without a stack (full stack with COVSEG_DEBUG=1). */
export function formatError(e: unknown): string {
  if (process.env.COVSEG_DEBUG && e instanceof Error && e.stack) return e.stack;
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0];
}
