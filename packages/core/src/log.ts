// The default progress/info log of every command: one line to stderr, so stdout stays for
// results (JSON, samples) that a script may pipe.

/** Writes one line to stderr. */
export function stderrLog(line: string): void {
  process.stderr.write(`${line}\n`);
}
