// The JSON-object-per-line layer shared by the jsonl document reader and the pairs reader: blank lines
// skipped; a line that is not JSON or not an object is a DataError naming the file and line.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { brief } from '@dlm/core';
import { DataError } from '../errors.ts';

export interface JsonlObject {
  /** 1-based line number in the file. */
  line: number;
  value: Record<string, unknown>;
}

export async function* jsonlObjects(path: string, op: string): AsyncIterable<JsonlObject> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw new DataError({
        op,
        arg: `${path}:${line}`,
        expected: 'a JSON object per line',
        got: (e as Error).message,
      });
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      throw new DataError({ op, arg: `${path}:${line}`, expected: 'a JSON object', got: brief(obj) });
    }
    yield { line, value: obj as Record<string, unknown> };
  }
}
