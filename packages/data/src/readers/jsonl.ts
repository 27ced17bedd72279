// jsonl reader: one JSON object per line; the document text is `field` (default "text").
// Blank lines are skipped. A line that is not JSON, lacks the field, or holds a non-string
// there is a DataError naming the file and line.
import { basename } from 'node:path';
import { brief } from '@dlm/core';
import type { Document } from '../document.ts';
import { DataError } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { assertReadable } from './file.ts';
import { jsonlObjects } from './jsonl-objects.ts';

export interface JsonlOptions {
  field?: string;
}

export async function* readJsonl(path: string, options: JsonlOptions = {}): AsyncIterable<Document> {
  checkOptions('jsonl reader', options, { field: 'string' });
  const field = options.field ?? 'text';
  assertReadable('jsonl reader', path);
  const name = basename(path);
  let row = 0;
  for await (const { line: lineNo, value: rec } of jsonlObjects(path, 'jsonl reader')) {
    if (!Object.hasOwn(rec, field))
      throw new DataError(
        {
          op: 'jsonl reader',
          arg: `${path}:${lineNo}`,
          expected: `a "${field}" field (keys here: ${Object.keys(rec).join(', ')})`,
        },
        'has no text field',
      );
    const text = rec[field];
    if (typeof text !== 'string')
      throw new DataError({
        op: 'jsonl reader',
        arg: `${path}:${lineNo} field "${field}"`,
        expected: 'a string',
        got: brief(text),
      });
    yield { id: `${name}:${row++}`, text };
  }
}
