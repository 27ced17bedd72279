// The one `dlm:` error line, and a record of errors already printed, so that an error thrown during
// a command is reported before the backend shuts down (a wasm abort in shutdown must not hide it)
// and is not printed twice.
const reported = new WeakSet<object>();

/** `dlm: Name: message` for library errors (ConfigError … carry `op`); other errors keep their stack. */
export function formatError(err: unknown): string {
  if (err instanceof Error && 'op' in err) return `dlm: ${err.name}: ${err.message}\n`;
  if (err instanceof Error) return `dlm: ${err.stack ?? `${err.name}: ${err.message}`}\n`;
  return `dlm: ${String(err)}\n`;
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
