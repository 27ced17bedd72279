// txt reader: a UTF-8 text file as documents. `unit`: `file` (the whole file is one document,
// the default), `line` (one document per line), `paragraph` (blocks separated by blank lines).
import { createReadStream, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigError } from '@dlm/core';
import type { Document } from '../document.ts';
import { checkOptions } from '../options.ts';
import { assertReadable } from './file.ts';

export interface TxtOptions {
  unit?: 'file' | 'line' | 'paragraph';
}

export async function* readTxt(path: string, options: TxtOptions = {}): AsyncIterable<Document> {
  checkOptions('txt reader', options, { unit: 'string' });
  const unit = options.unit ?? 'file';
  if (!['file', 'line', 'paragraph'].includes(unit))
    throw new ConfigError({ op: 'txt reader', arg: 'options.unit', expected: 'file, line or paragraph', got: unit });
  assertReadable('txt reader', path);
  const name = basename(path);
  if (unit === 'line') {
    let i = 0;
    for await (const line of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity }))
      yield { id: `${name}:${i++}`, text: line };
    return;
  }
  const text = readFileSync(path, 'utf8');
  if (unit === 'file') {
    yield { id: name, text };
    return;
  }
  let i = 0;
  for (const para of text.split(/\r?\n(?:[ \t]*\r?\n)+/)) if (para.trim()) yield { id: `${name}:${i++}`, text: para };
}
