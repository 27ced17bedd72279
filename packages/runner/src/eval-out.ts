// Where every `dlm eval <verb>` writes, and how a killed evaluation resumes.
//
//   <out>/progress.jsonl  line 1 {"fingerprint": …} (the verb, the model, the task and every knob that changes a
//                         number), then one JSON record per finished item (a question, a row, a sample). A rerun
//                         with the same fingerprint skips the recorded items; a torn last line (killed mid-write)
//                         is dropped; another fingerprint is a named error (a new --out, or --restart).
//   <out>/results.json, results.md, results.arrow, …   written at the end, each to a temporary name then renamed,
//                         so a reader never sees half a file and a failed evaluation leaves no results file.
// Inputs are validated before the directory is made (callers open the task and the model first).
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@dlm/core';
import { formatDuration } from './progress.ts';

const PROGRESS = 'progress.jsonl';

/** JSON with sorted keys: equal objects give equal text. */
export function canonicalJson(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Writes `content` to `file` through a temporary name and a rename (never half a file). */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

/** Writes every named file of `files` into `dir` atomically (`dir` is created when missing). */
export function writeResultFiles(dir: string, files: Readonly<Record<string, string | Uint8Array>>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileAtomic(join(dir, name), content);
}

/**
 * Per-item records of one evaluation in `<dir>/progress.jsonl`, keyed by `key(record)`: `done()` gives the records
 * a previous (killed) run finished, `append` adds one (flushed line by line).
 */
export class ResumableLog<T extends object> {
  private readonly file: string;
  private readonly records = new Map<string, T>();

  private constructor(
    readonly dir: string,
    private readonly key: (r: T) => string,
  ) {
    this.file = join(dir, PROGRESS);
  }

  /**
   * Opens (or starts) the log of `dir` for an evaluation with this `fingerprint`. `restart` discards an existing
   * log; without it a log with another fingerprint is an error (`op` names the command).
   */
  static open<T extends object>(
    dir: string,
    fingerprint: unknown,
    key: (r: T) => string,
    o: { op: string; restart?: boolean | undefined },
  ): ResumableLog<T> {
    const log = new ResumableLog<T>(dir, key);
    const head = canonicalJson({ fingerprint });
    mkdirSync(dir, { recursive: true });
    if (o.restart) rmSync(log.file, { force: true });
    if (!existsSync(log.file)) {
      writeFileSync(log.file, `${head}\n`);
      return log;
    }
    const lines = readFileSync(log.file, 'utf8').split('\n');
    if (lines[0] !== head) {
      throw new ConfigError(
        {
          op: o.op,
          arg: '--out',
          expected: 'an empty directory or one holding this same evaluation (same model, task and knobs)',
          got: dir,
        },
        'holds another evaluation: choose another --out, or pass --restart to discard it',
      );
    }
    // Complete lines end in a newline, so the last split piece is '' — or, after a kill mid-write, a torn line:
    // either way it is dropped (and a torn one removed from the file).
    const complete = lines.length - 1;
    if (lines[complete] !== '') writeFileSync(log.file, `${lines.slice(0, complete).join('\n')}\n`);
    for (const line of lines.slice(1, complete)) {
      if (line === '') continue;
      const r = JSON.parse(line) as T;
      log.records.set(key(r), r);
    }
    return log;
  }

  /** Records finished by earlier runs (and this one), by key. */
  done(): ReadonlyMap<string, T> {
    return this.records;
  }

  has(key: string): boolean {
    return this.records.has(key);
  }

  append(r: T): void {
    appendFileSync(this.file, `${JSON.stringify(r)}\n`);
    this.records.set(this.key(r), r);
  }
}

/** A counted progress line for evaluations: "mc 120/500 (24%) | 3.1 items/s | ETA 2m02s" on stderr. */
export class CountProgress {
  private readonly start = Date.now();
  private last = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly write: (s: string) => void = (s) => process.stderr.write(s),
    private readonly tty = Boolean(process.stderr.isTTY),
  ) {}

  /** `done` items finished in all, `fresh` of them in this process (the rate counts only those). */
  update(done: number, fresh: number, extra = ''): void {
    const now = Date.now();
    const end = done >= this.total;
    if (!end && now - this.last < (this.tty ? 200 : 10_000)) return;
    this.last = now;
    const sec = (now - this.start) / 1000;
    const rate = sec > 0 ? fresh / sec : 0;
    const eta = rate > 0 ? (this.total - done) / rate : NaN;
    const pct = this.total > 0 ? Math.round((100 * done) / this.total) : 100;
    const line = [
      `${this.label} ${done}/${this.total} (${pct}%)`,
      `${rate.toFixed(2)} items/s`,
      `ETA ${end ? '0s' : formatDuration(eta)}`,
      ...(extra ? [extra] : []),
    ].join(' | ');
    this.write(this.tty ? `\r${line}${end ? '\n' : ''}` : `${line}\n`);
  }
}
