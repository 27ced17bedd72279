// Reads prompt/response pairs from jsonl, csv, parquet or Arrow IPC files (pairs-config.ts).
// Rows are numbered from 1 in file order (jsonl: non-blank lines; csv: records after the header;
// parquet / arrow: table rows). A row whose source or target field is missing, null or not a string
// is a PairFieldError naming the file, the row number and the field.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { RecordBatchReader } from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { brief } from '@dlm/core';
import { DataError } from '../errors.ts';
import { csvRecords } from '../readers/csv.ts';
import { assertReadable } from '../readers/file.ts';
import { jsonlObjects } from '../readers/jsonl-objects.ts';
import { resolvePairsConfig, type PairsConfig, type ResolvedPairsConfig } from './pairs-config.ts';

export interface Pair {
  /** `<file>:<row>` (row from 1). */
  id: string;
  /** 1-based row number in the file. */
  row: number;
  source: string;
  target: string;
}

/** A pair row without a usable source/target field. */
export class PairFieldError extends DataError {}

type Record_ = Record<string, unknown>;
/** One row: the values read and every field / column name the row has (for error messages). */
type Row = { values: Record_; keys: string[] };

/** Yields every pair of the file in order. */
export async function* readPairs(config: PairsConfig): AsyncIterable<Pair> {
  const c = resolvePairsConfig(config);
  const op = `pairs reader (${c.format})`;
  assertReadable(op, c.path);
  const name = basename(c.path);
  let row = 0;
  for await (const { values, keys: names } of records(c, op)) {
    row++;
    const field = (f: string): string => {
      const v = values[f];
      if (typeof v === 'string') return v;
      const what = v === undefined ? 'has no' : v === null ? 'has a null' : 'has a non-string';
      const keys = names.join(', ');
      throw new PairFieldError(
        {
          op,
          arg: `${c.path} row ${row} field "${f}"`,
          expected: `a string "${f}" (fields here: ${keys})`,
          got: brief(v),
        },
        `${what} "${f}" field`,
      );
    };
    yield { id: `${name}:${row}`, row, source: field(c.source_field), target: field(c.target_field) };
  }
}

/** Every pair in memory (small SFT / seq2seq files). */
export async function readAllPairs(config: PairsConfig): Promise<Pair[]> {
  const out: Pair[] = [];
  for await (const p of readPairs(config)) out.push(p);
  return out;
}

function records(c: ResolvedPairsConfig, op: string): AsyncIterable<Row> {
  if (c.format === 'jsonl') return jsonlRecords(c.path, op);
  if (c.format === 'csv') return csvObjects(c.path);
  if (c.format === 'parquet') return parquetRecords(c, op);
  return arrowRecords(c, op);
}

async function* jsonlRecords(path: string, op: string): AsyncIterable<Row> {
  for await (const { value } of jsonlObjects(path, op)) yield { values: value as Record_, keys: Object.keys(value) };
}

async function* csvObjects(path: string): AsyncIterable<Row> {
  let header: string[] | undefined;
  for await (const rec of csvRecords(createReadStream(path, 'utf8'), ',', path)) {
    if (!header) {
      header = rec;
      continue;
    }
    const o: Record_ = {};
    header.forEach((h, i) => {
      if (i < rec.length) o[h] = rec[i];
    });
    yield { values: o, keys: header };
  }
}

async function* parquetRecords(c: ResolvedPairsConfig, op: string): AsyncIterable<Row> {
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    file = await asyncBufferFromFile(c.path);
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new DataError({ op, arg: c.path, expected: 'a Parquet file', got: (e as Error).message });
  }
  const top = metadata.schema.slice(1).map((s) => s.name);
  const columns = [c.source_field, c.target_field].filter((f) => top.includes(f));
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    // A missing column is reported per row (row 1) by readPairs, with the columns that exist.
    const rows = columns.length
      ? await parquetReadObjects({ file, metadata, columns, rowStart: start, rowEnd: end })
      : Array.from({ length: end - start }, () => ({}));
    for (const r of rows) yield { values: r as Record_, keys: top };
    start = end;
  }
}

async function* arrowRecords(c: ResolvedPairsConfig, op: string): AsyncIterable<Row> {
  let reader: AsyncIterable<import('apache-arrow').RecordBatch> & { schema: import('apache-arrow').Schema };
  try {
    reader = (await RecordBatchReader.from(createReadStream(c.path))) as never;
    await (reader as unknown as { open(): Promise<unknown> }).open();
  } catch (e) {
    throw new DataError({ op, arg: c.path, expected: 'an Arrow IPC file or stream', got: (e as Error).message });
  }
  const top = reader.schema.fields.map((f) => f.name);
  for await (const batch of reader) {
    const cols = [c.source_field, c.target_field]
      .filter((f) => top.includes(f))
      .map((f) => [f, batch.getChild(f)!] as const);
    for (let i = 0; i < batch.numRows; i++) {
      const o: Record_ = {};
      for (const [f, v] of cols) o[f] = v.get(i);
      yield { values: o, keys: top };
    }
  }
}
