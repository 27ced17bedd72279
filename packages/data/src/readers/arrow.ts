// Arrow IPC reader (file or stream format): the document text is the string column `column`
// (default "text"), read batch by batch. A null cell is an empty document (prepare skips it).
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { RecordBatchReader } from 'apache-arrow';
import type { Document } from '../document.ts';
import { DataError } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { assertReadable } from './file.ts';

export interface ArrowOptions {
  column?: string;
}

export async function* readArrow(path: string, options: ArrowOptions = {}): AsyncIterable<Document> {
  checkOptions('arrow reader', options, { column: 'string' });
  const column = options.column ?? 'text';
  assertReadable('arrow reader', path);
  const name = basename(path);
  let reader: AsyncIterable<import('apache-arrow').RecordBatch> & { schema: import('apache-arrow').Schema };
  try {
    reader = (await RecordBatchReader.from(createReadStream(path))) as never;
    await (reader as unknown as { open(): Promise<unknown> }).open();
  } catch (e) {
    throw new DataError({
      op: 'arrow reader',
      arg: path,
      expected: 'an Arrow IPC file or stream',
      got: (e as Error).message,
    });
  }
  const field = reader.schema?.fields.find((f) => f.name === column);
  if (!field)
    throw new DataError(
      {
        op: 'arrow reader',
        arg: path,
        expected: `a "${column}" column (columns: ${reader.schema?.fields.map((f) => f.name).join(', ') ?? 'none'})`,
      },
      'has no text column',
    );
  if (!String(field.type).includes('Utf8'))
    throw new DataError({
      op: 'arrow reader',
      arg: `${path} column "${column}"`,
      expected: 'a Utf8 (string) column, plain or dictionary-encoded',
      got: String(field.type),
    });
  let row = 0;
  try {
    for await (const batch of reader) {
      const vec = batch.getChild(column)!;
      for (let i = 0; i < vec.length; i++) yield { id: `${name}:${row++}`, text: (vec.get(i) as string | null) ?? '' };
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(
      { op: 'arrow reader', arg: path, expected: 'a complete Arrow IPC file', got: (e as Error).message },
      `failed after ${row} rows`,
    );
  }
}
