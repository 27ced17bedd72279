// Parquet reader (hyparquet): the document text is the string column `column` (default
// "text"), read one row group at a time so a large file is never decoded at once. A null cell
// is an empty document (prepare skips it).
import { basename } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import type { Document } from '../document.ts';
import { DataError } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { assertReadable } from './file.ts';

export interface ParquetOptions {
  column?: string;
}

export async function* readParquet(path: string, options: ParquetOptions = {}): AsyncIterable<Document> {
  checkOptions('parquet reader', options, { column: 'string' });
  const column = options.column ?? 'text';
  assertReadable('parquet reader', path);
  const name = basename(path);
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new DataError({ op: 'parquet reader', arg: path, expected: 'a Parquet file', got: (e as Error).message });
  }
  const top = metadata.schema.slice(1).map((s) => s.name);
  if (!top.includes(column))
    throw new DataError(
      { op: 'parquet reader', arg: path, expected: `a "${column}" column (columns: ${top.join(', ')})` },
      'has no text column',
    );
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata, columns: [column], rowStart: start, rowEnd: end });
    } catch (e) {
      throw new DataError(
        { op: 'parquet reader', arg: path, expected: 'readable row groups', got: (e as Error).message },
        `failed at row ${start}`,
      );
    }
    for (const r of rows) {
      const v = r[column];
      if (v !== null && v !== undefined && typeof v !== 'string')
        throw new DataError({
          op: 'parquet reader',
          arg: `${path} column "${column}"`,
          expected: 'a string (UTF8) column',
          got: typeof v,
        });
      yield { id: `${name}:${start++}`, text: (v as string | null | undefined) ?? '' };
    }
    start = end;
  }
}
