// JSON objects of a JSONL file with their 1-based lines (blank lines skipped); a bad line is a named error.
import { readFileSync } from 'node:fs';
import { ConfigError, brief } from '@dlm/core';

export interface JsonlRow {
  line: number;
  value: Record<string, unknown>;
}

export function readJsonlRows(file: string, op: string): JsonlRow[] {
  const out: JsonlRow[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (!text.trim()) return;
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch (e) {
        throw new ConfigError({
          op,
          arg: `${file}:${i + 1}`,
          expected: 'one JSON object per line',
          got: (e as Error).message,
        });
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        throw new ConfigError({ op, arg: `${file}:${i + 1}`, expected: 'a JSON object', got: brief(v) });
      }
      out.push({ line: i + 1, value: v as Record<string, unknown> });
    });
  return out;
}
