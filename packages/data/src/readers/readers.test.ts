import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC, tableFromArrays, vectorFromArray, Table, Utf8, Int32 } from 'apache-arrow';
import { ConfigError, UnknownComponentError } from '@dlm/core';
import { describe, expect, it } from 'vitest';
import type { Document } from '../document.ts';
import { DataError } from '../errors.ts';
import { writeTinyParquet } from '../testing/tiny-parquet.ts';
import { csvRecords } from './csv.ts';
import { readDocuments } from './registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'dlm-readers-'));
function file(name: string, data: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}
async function all(it: AsyncIterable<Document>): Promise<Document[]> {
  const out: Document[] = [];
  for await (const d of it) out.push(d);
  return out;
}
const texts = async (it: AsyncIterable<Document>) => (await all(it)).map((d) => d.text);

describe('txt reader', () => {
  const p = file('a.txt', 'First line.\nSecond line.\n\n  \nThird, after a blank.\n');
  it('reads the whole file, lines or paragraphs', async () => {
    expect(await texts(readDocuments({ format: 'txt', path: p }))).toEqual([
      'First line.\nSecond line.\n\n  \nThird, after a blank.\n',
    ]);
    expect(await texts(readDocuments({ format: 'txt', path: p, options: { unit: 'line' } }))).toEqual([
      'First line.',
      'Second line.',
      '',
      '  ',
      'Third, after a blank.',
    ]);
    expect(await texts(readDocuments({ format: 'txt', path: p, options: { unit: 'paragraph' } }))).toEqual([
      'First line.\nSecond line.',
      'Third, after a blank.\n',
    ]);
  });
  it('names a missing file', async () => {
    await expect(all(readDocuments({ format: 'txt', path: join(dir, 'nope.txt') }))).rejects.toThrow(
      /nope\.txt.*not found/,
    );
  });
});

describe('jsonl reader', () => {
  it('reads the named field and skips blank lines', async () => {
    const p = file('a.jsonl', '{"text": "one", "n": 1}\n\n{"body": "x", "text": "two\\nlines"}\n');
    const docs = await all(readDocuments({ format: 'jsonl', path: p }));
    expect(docs).toEqual([
      { id: 'a.jsonl:0', text: 'one' },
      { id: 'a.jsonl:1', text: 'two\nlines' },
    ]);
    expect(
      await texts(
        readDocuments({ format: 'jsonl', path: file('b.jsonl', '{"body": "x"}\n'), options: { field: 'body' } }),
      ),
    ).toEqual(['x']);
  });
  it('names file and line for bad JSON, a missing field and a non-string', async () => {
    await expect(
      all(readDocuments({ format: 'jsonl', path: file('c.jsonl', '{"text": "ok"}\n{oops\n') })),
    ).rejects.toThrow(/c\.jsonl:2/);
    await expect(all(readDocuments({ format: 'jsonl', path: file('d.jsonl', '{"body": "x"}\n') }))).rejects.toThrow(
      /d\.jsonl:1.*"text" field \(keys here: body\)/,
    );
    await expect(all(readDocuments({ format: 'jsonl', path: file('e.jsonl', '{"text": 3}\n') }))).rejects.toThrow(
      DataError,
    );
  });
});

describe('csv reader', () => {
  it('parses quoted fields with commas, doubled quotes, newlines and CRLF', async () => {
    const p = file('a.csv', 'id,text,label\r\n1,plain,a\r\n2,"has, comma",b\n3,"say ""hi""\nnext line",c\n4,,d\n');
    expect(await texts(readDocuments({ format: 'csv', path: p, options: { column: 'text' } }))).toEqual([
      'plain',
      'has, comma',
      'say "hi"\nnext line',
      '',
    ]);
    expect(await texts(readDocuments({ format: 'csv', path: p, options: { column: 'label' } }))).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });
  it('handles chunk boundaries anywhere', async () => {
    const text = 'a,b\n"x ""y""",z\n';
    for (let cut = 1; cut < text.length; cut++) {
      async function* chunks() {
        yield text.slice(0, cut);
        yield text.slice(cut);
      }
      const recs: string[][] = [];
      for await (const r of csvRecords(chunks())) recs.push(r);
      expect(recs).toEqual([
        ['a', 'b'],
        ['x "y"', 'z'],
      ]);
    }
  });
  it('supports another delimiter and reports a missing column or unclosed quote', async () => {
    expect(
      await texts(
        readDocuments({ format: 'csv', path: file('t.tsv', 'text\tx\nhello\t1\n'), options: { delimiter: '\t' } }),
      ),
    ).toEqual(['hello']);
    await expect(all(readDocuments({ format: 'csv', path: file('b.csv', 'a,b\n1,2\n') }))).rejects.toThrow(
      /"text" column \(header: a, b\)/,
    );
    await expect(all(readDocuments({ format: 'csv', path: file('c.csv', 'text\n"open\n') }))).rejects.toThrow(
      /closing quote/,
    );
    await expect(
      all(readDocuments({ format: 'csv', path: file('d.csv', 'text\n1\n'), options: { delimiter: ';;' } })),
    ).rejects.toThrow(ConfigError);
  });
  it('an unknown reader option names the nearest valid one', async () => {
    const p = file('e.csv', 'text\n1\n');
    await expect(all(readDocuments({ format: 'csv', path: p, options: { colum: 'text' } }))).rejects.toThrow(
      /csv reader: options\.colum is not a known option \(did you mean column\?\), expected one of column, delimiter/,
    );
    await expect(all(readDocuments({ format: 'jsonl', path: p, options: { xyz: 1 } }))).rejects.toThrow(
      /options\.xyz is not a known option, expected one of field/,
    );
  });
});

describe('arrow reader', () => {
  it('reads a string column from IPC file and stream formats, batch by batch', async () => {
    const t1 = new Table({
      text: vectorFromArray(['alpha', 'beta'], new Utf8()),
      n: vectorFromArray([1, 2], new Int32()),
    });
    const t2 = new Table({ text: vectorFromArray(['gamma'], new Utf8()), n: vectorFromArray([3], new Int32()) });
    const table = t1.concat(t2);
    expect(table.batches).toHaveLength(2);
    for (const format of ['file', 'stream'] as const) {
      const p = file(`a.${format}.arrow`, tableToIPC(table, format));
      expect(await texts(readDocuments({ format: 'arrow', path: p }))).toEqual(['alpha', 'beta', 'gamma']);
    }
  });
  it('reads a dictionary-encoded string column (what tableFromArrays makes)', async () => {
    const p = file('dict.arrow', tableToIPC(tableFromArrays({ text: ['x', 'y', 'x'] }), 'stream'));
    expect(await texts(readDocuments({ format: 'arrow', path: p }))).toEqual(['x', 'y', 'x']);
  });
  it('names the file for a missing column, a non-string column and a truncated file', async () => {
    const table = new Table({ body: vectorFromArray(['x'], new Utf8()), n: vectorFromArray([1], new Int32()) });
    const p = file('b.arrow', tableToIPC(table, 'file'));
    await expect(all(readDocuments({ format: 'arrow', path: p }))).rejects.toThrow(
      /"text" column \(columns: body, n\)/,
    );
    await expect(all(readDocuments({ format: 'arrow', path: p, options: { column: 'n' } }))).rejects.toThrow(/Utf8/);
    const bytes = tableToIPC(table, 'stream');
    const cut = file('c.arrow', bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(all(readDocuments({ format: 'arrow', path: cut, options: { column: 'body' } }))).rejects.toThrow(
      DataError,
    );
  });
});

describe('parquet reader', () => {
  it('reads a string column across row groups (fixture made by the tiny writer)', async () => {
    const rows = ['Call me Ishmael.', '', 'Some years ago—never mind how long', 'x'.repeat(300)];
    const p = file('a.parquet', writeTinyParquet({ id: ['0', '1', '2', '3'], text: rows }, 3));
    const docs = await all(readDocuments({ format: 'parquet', path: p }));
    expect(docs.map((d) => d.text)).toEqual(rows);
    expect(docs.map((d) => d.id)).toEqual(['a.parquet:0', 'a.parquet:1', 'a.parquet:2', 'a.parquet:3']);
    expect(await texts(readDocuments({ format: 'parquet', path: p, options: { column: 'id' } }))).toEqual([
      '0',
      '1',
      '2',
      '3',
    ]);
  });
  it('names the file for a missing column and a corrupt file', async () => {
    const p = file('b.parquet', writeTinyParquet({ body: ['x'] }));
    await expect(all(readDocuments({ format: 'parquet', path: p }))).rejects.toThrow(/"text" column \(columns: body\)/);
    await expect(
      all(readDocuments({ format: 'parquet', path: file('c.parquet', 'not parquet at all') })),
    ).rejects.toThrow(/c\.parquet/);
  });
});

describe('reader registry', () => {
  it('lists the valid formats for an unknown one', () => {
    expect(() => readDocuments({ format: 'xml', path: 'x' })).toThrow(UnknownComponentError);
    expect(() => readDocuments({ format: 'xml', path: 'x' })).toThrow(/txt, jsonl, csv, arrow, parquet/);
  });
});
