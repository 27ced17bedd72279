import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.ts';
import { writeTinyParquet } from '../testing/tiny-parquet.ts';
import { PairFieldError, readAllPairs } from './read-pairs.ts';

const dir = mkdtempSync(join(tmpdir(), 'dlm-pairs-read-'));
const file = (name: string, data: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const st = (ps: { source: string; target: string }[]) => ps.map((p) => [p.source, p.target]);

describe('readPairs', () => {
  it('jsonl with the default prompt/response fields, blank lines skipped, rows numbered from 1', async () => {
    const p = file('a.jsonl', '{"prompt": "hi", "response": "yo", "x": 1}\n\n{"response": "b", "prompt": "a"}\n');
    const pairs = await readAllPairs({ path: p });
    expect(pairs).toEqual([
      { id: 'a.jsonl:1', row: 1, source: 'hi', target: 'yo' },
      { id: 'a.jsonl:2', row: 2, source: 'a', target: 'b' },
    ]);
  });
  it("DiffuSeq's src/trg jsonl", async () => {
    const p = file('qqp.jsonl', '{"src": "how are you", "trg": "how do you do"}\n{"src": "s2", "trg": "t2"}\n');
    expect(st(await readAllPairs({ path: p, source_field: 'src', target_field: 'trg' }))).toEqual([
      ['how are you', 'how do you do'],
      ['s2', 't2'],
    ]);
  });
  it('csv with quoted fields', async () => {
    const p = file('a.csv', 'id,prompt,response\n1,"a, b","say ""x"""\n2,c,\n');
    expect(st(await readAllPairs({ format: 'csv', path: p }))).toEqual([
      ['a, b', 'say "x"'],
      ['c', ''],
    ]);
  });
  it('parquet and arrow columns', async () => {
    const cols = { q: ['p1', 'p2', 'p3'], a: ['r1', 'r2', 'r3'], other: ['o', 'o', 'o'] };
    const pq = file('a.parquet', writeTinyParquet(cols, 2));
    expect(st(await readAllPairs({ format: 'parquet', path: pq, source_field: 'q', target_field: 'a' }))).toEqual([
      ['p1', 'r1'],
      ['p2', 'r2'],
      ['p3', 'r3'],
    ]);
    const t = new Table({
      prompt: vectorFromArray(['u', 'v'], new Utf8()),
      response: vectorFromArray(['w', 'z'], new Utf8()),
    });
    const ar = file('a.arrow', tableToIPC(t, 'file'));
    expect(st(await readAllPairs({ format: 'arrow', path: ar }))).toEqual([
      ['u', 'w'],
      ['v', 'z'],
    ]);
  });
  it('a row without the target field names the row number and the field', async () => {
    const p = file('m.jsonl', '{"prompt": "a", "response": "b"}\n{"prompt": "c", "answer": "d"}\n');
    const err = await readAllPairs({ path: p }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PairFieldError);
    expect(err).toBeInstanceOf(DataError);
    expect(String((err as Error).message)).toMatch(/m\.jsonl row 2 field "response".*has no "response" field/);
    expect(String((err as Error).message)).toMatch(/fields here: prompt, answer/);
    const q = file('n.jsonl', '{"prompt": "a", "response": null}\n');
    await expect(readAllPairs({ path: q })).rejects.toThrow(/row 1 field "response".*null/);
    const c = file('m.csv', 'prompt,target\nx,y\n');
    await expect(readAllPairs({ format: 'csv', path: c })).rejects.toThrow(/m\.csv row 1 field "response"/);
    const pq = file('m.parquet', writeTinyParquet({ prompt: ['p'], answer: ['a'] }));
    await expect(readAllPairs({ format: 'parquet', path: pq })).rejects.toThrow(/m\.parquet row 1 field "response"/);
    await expect(readAllPairs({ format: 'parquet', path: pq })).rejects.toThrow(/fields here: prompt, answer/);
    const nul = new Table({
      prompt: vectorFromArray(['u', 'v'], new Utf8()),
      response: vectorFromArray(['w', null], new Utf8()),
    });
    const ar = file('m.arrow', tableToIPC(nul, 'file'));
    await expect(readAllPairs({ format: 'arrow', path: ar })).rejects.toThrow(/m\.arrow row 2 field "response".*null/);
  });
  it('names the file and line of bad JSON and a missing file', async () => {
    const bad = file('b.jsonl', '{"prompt": "a", "response": "b"}\n{oops\n');
    await expect(readAllPairs({ path: bad })).rejects.toThrow(/b\.jsonl:2/);
    await expect(readAllPairs({ path: join(dir, 'none.jsonl') })).rejects.toThrow(/none\.jsonl.*not found/);
  });
});
