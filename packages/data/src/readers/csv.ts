// csv reader (RFC 4180): the first record is the header; the document text is `column`
// (default "text"). Fields may be quoted; inside quotes the delimiter, CR/LF and `""` (one
// literal quote) are ordinary text. Records end at LF or CRLF. Parsed as a stream, so a large
// file is never held in memory.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError } from '@dlm/core';
import type { Document } from '../document.ts';
import { DataError } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { assertReadable } from './file.ts';

export interface CsvOptions {
  column?: string;
  delimiter?: string;
}

/** Parses CSV text chunks into records (arrays of fields). */
export async function* csvRecords(
  chunks: AsyncIterable<string>,
  delimiter = ',',
  where = 'csv',
): AsyncIterable<string[]> {
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let quoteSeen = false; // just read a quote inside a quoted field: either "" or the closing quote
  let fieldStarted = false;
  let line = 1;
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (inQuotes) {
        if (quoteSeen) {
          quoteSeen = false;
          if (c === '"') {
            field += '"';
            continue;
          }
          inQuotes = false; // the quote closed the field; fall through to handle c
        } else if (c === '"') {
          quoteSeen = true;
          continue;
        } else {
          if (c === '\n') line++;
          field += c;
          continue;
        }
      }
      if (c === '"' && !fieldStarted) {
        inQuotes = true;
        fieldStarted = true;
      } else if (c === delimiter) {
        record.push(field);
        field = '';
        fieldStarted = false;
      } else if (c === '\n') {
        if (field.endsWith('\r') && !inQuotes) field = field.slice(0, -1);
        record.push(field);
        if (!(record.length === 1 && record[0] === '')) yield record;
        record = [];
        field = '';
        fieldStarted = false;
        line++;
      } else if (c === '"') {
        throw new DataError(
          { op: 'csv reader', arg: `${where}:${line}`, expected: 'quotes only around a whole field' },
          'has a stray quote',
        );
      } else {
        field += c;
        fieldStarted = true;
      }
    }
  }
  if (inQuotes && !quoteSeen)
    throw new DataError(
      { op: 'csv reader', arg: `${where}:${line}`, expected: 'a closing quote' },
      'ends inside a quoted field',
    );
  if (field.endsWith('\r')) field = field.slice(0, -1);
  if (fieldStarted || record.length) {
    record.push(field);
    yield record;
  }
}

export async function* readCsv(path: string, options: CsvOptions = {}): AsyncIterable<Document> {
  checkOptions('csv reader', options, { column: 'string', delimiter: 'string' });
  const column = options.column ?? 'text';
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n')
    throw new ConfigError({
      op: 'csv reader',
      arg: 'options.delimiter',
      expected: 'one character other than a quote or newline',
      got: JSON.stringify(delimiter),
    });
  assertReadable('csv reader', path);
  const name = basename(path);
  let col = -1;
  let row = 0;
  for await (const rec of csvRecords(createReadStream(path, 'utf8'), delimiter, path)) {
    if (col < 0) {
      col = rec.indexOf(column);
      if (col < 0)
        throw new DataError(
          { op: 'csv reader', arg: path, expected: `a "${column}" column (header: ${rec.join(', ')})` },
          'has no text column',
        );
      continue;
    }
    const text = rec[col];
    if (text === undefined)
      throw new DataError({
        op: 'csv reader',
        arg: `${path} record ${row + 1}`,
        expected: `at least ${col + 1} fields`,
        got: String(rec.length),
      });
    yield { id: `${name}:${row++}`, text };
  }
}
