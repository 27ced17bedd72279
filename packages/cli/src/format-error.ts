// The one `dlm:` error line, and a record of errors already printed, so that an error thrown during
// a command is reported before the backend shuts down (a wasm abort in shutdown must not hide it)
// and is not printed twice. No stack trace unless DLM_DEBUG=1.
const reported = new WeakSet<object>();

/** `dlm: Name: message`; library errors (ConfigError … carry `op`) are complete messages. */
export function formatError(err: unknown, debug = process.env.DLM_DEBUG === '1'): string {
  const e = err instanceof Error ? err : new Error(String(err));
  let out = `dlm: ${e.name}: ${e.message}\n`;
  if (debug) out += `${e.stack ?? ''}\n`;
  else if (!('op' in e)) out += 'dlm: (set DLM_DEBUG=1 for the stack trace)\n';
  return out;
}

/** Prints the error once (stderr); later calls for the same error object do nothing. */
export function reportError(err: unknown): void {
  if (typeof err === 'object' && err !== null) {
    if (reported.has(err)) return;
    reported.add(err);
  }
  process.stderr.write(formatError(err));
}

export function wasReported(err: unknown): boolean {
  return typeof err === 'object' && err !== null && reported.has(err);
}
