// The reader registry: txt, jsonl, csv, arrow, parquet. `readDocuments({format, path, ...})`.
import { Registry } from '@dlm/core';
import type { Document } from '../document.ts';
import { readArrow } from './arrow.ts';
import { readCsv } from './csv.ts';
import { readJsonl } from './jsonl.ts';
import { readParquet } from './parquet.ts';
import { readTxt } from './txt.ts';

export type Reader = (path: string, options: Record<string, unknown>) => AsyncIterable<Document>;

export const readers = new Registry<Reader>('reader', [
  ['txt', readTxt as Reader],
  ['jsonl', readJsonl as Reader],
  ['csv', readCsv as Reader],
  ['arrow', readArrow as Reader],
  ['parquet', readParquet as Reader],
]);

export interface ReaderSpec {
  /** txt, jsonl, csv, arrow, parquet */
  format: string;
  path: string;
  /** Reader options: `field` (jsonl), `column` (csv, arrow, parquet), `unit` (txt), `delimiter` (csv). */
  options?: Record<string, unknown>;
}

export function readDocuments(spec: ReaderSpec): AsyncIterable<Document> {
  return readers.get(spec.format)(spec.path, spec.options ?? {});
}
