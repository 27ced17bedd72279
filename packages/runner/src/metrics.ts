// metrics.jsonl: one JSON object per logged step, appended and flushed as training runs so a
// killed run keeps what it measured. On resume the file is cut back to the checkpoint's step,
// so the file always equals what an uninterrupted run would have written.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { ConfigError } from '@dlm/core';

export type MetricRow = { step: number; split: 'train' | 'val' | string } & Record<string, number | string>;

export class MetricsLog {
  constructor(readonly path: string) {}

  append(row: MetricRow): void {
    appendFileSync(this.path, `${JSON.stringify(row)}\n`);
  }

  read(): MetricRow[] {
    if (!existsSync(this.path)) return [];
    const rows: MetricRow[] = [];
    const lines = readFileSync(this.path, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      try {
        rows.push(JSON.parse(line) as MetricRow);
      } catch {
        // A kill -9 mid-write leaves a partial last line: drop it, refuse corruption elsewhere.
        if (i !== lines.length - 1 && lines.slice(i + 1).some((l) => l.trim())) {
          throw new ConfigError({
            op: 'MetricsLog.read',
            arg: `${this.path}:${i + 1}`,
            expected: 'one JSON object per line',
          });
        }
      }
    });
    return rows;
  }

  /** Keep only rows with step ≤ `step` (resume from a checkpoint taken at `step`). */
  truncateAfter(step: number): void {
    const kept = this.read().filter((r) => r.step <= step);
    writeFileSync(this.path, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}

/** The same rows as an Arrow IPC file: one column per key (numbers → Float64, others → Utf8). */
export function metricsToArrow(rows: readonly MetricRow[]): Uint8Array {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cols: Record<string, Float64Array | string[]> = {};
  for (const k of keys) {
    const numeric = rows.every((r) => r[k] === undefined || typeof r[k] === 'number');
    cols[k] = numeric
      ? Float64Array.from(rows, (r) => (r[k] === undefined ? NaN : (r[k] as number)))
      : rows.map((r) => (r[k] === undefined ? '' : String(r[k])));
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return tableToIPC(tableFromArrays(cols as any) as any, 'file');
}
