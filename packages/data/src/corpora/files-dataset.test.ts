import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ConfigError } from '@dlm/core';
import { describe, expect, it } from 'vitest';
import { dataRecordChanges } from '../data-record.ts';
import { openData } from '../pipeline.ts';
import { fileSha256, filesDataset } from './files-dataset.ts';

const root = mkdtempSync(join(tmpdir(), 'dlm-files-'));
const lines = (n: number) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ body: `the element ${i} here` })).join('\n');

describe('filesDataset', () => {
  it('a missing or non-file path is a ConfigError naming the config key and the absolute path', () => {
    const missing = join(root, 'nope.jsonl');
    const spec = { train: { format: 'jsonl', path: missing }, validation: { format: 'jsonl', path: missing } };
    const f = () => filesDataset('x', spec, { key: 'data.files' });
    expect(f).toThrow(ConfigError);
    expect(f).toThrow(`data.files.train.path: ${missing} does not exist, expected an existing jsonl file`);
    const dir = () => filesDataset('x', { all: { format: 'txt', path: root } });
    expect(dir).toThrow(`files.all.path: ${root} is not a file`);
    expect(() => filesDataset('x', { train: { format: 'txt', path: missing } }, { key: 'data.files' })).toThrow(
      'data.files: (train) has no validation reader, expected train and validation readers (test optional), or one ' +
        'under `all`',
    );
    const both = { all: { format: 'txt', path: missing }, train: { format: 'txt', path: missing } };
    const msg = 'data.files: all and train cannot be combined';
    expect(() => filesDataset('x', both, { key: 'data.files' })).toThrow(msg);
  });

  it('a file that cannot be read while hashing is a DataError naming it', async () => {
    const gone = join(root, 'gone.txt');
    await expect(fileSha256(gone)).rejects.toThrow(/hash data file: .*gone\.txt, expected a readable file, got ENOENT/);
  });

  it('reader options and columns are checked when the data is opened, before any tokenizing', async () => {
    const path = join(root, 'probe.csv');
    writeFileSync(path, 'id,body\n1,hello\n');
    const entry = filesDataset('p', { all: { format: 'csv', path, options: { column: 'text' } } });
    await expect(entry.fingerprint()).rejects.toThrow(
      /csv reader: .*probe\.csv has no text column, expected a "text" column \(header: id, body\)/,
    );
    const typo = filesDataset('p', { all: { format: 'csv', path, options: { colum: 'body' } } });
    await expect(typo.fingerprint()).rejects.toThrow(/options\.colum is not a known option \(did you mean column\?\)/);
  });

  it('records absolute paths and the sha256 of the raw bytes; relative paths resolve once', async () => {
    const path = join(root, 'rec.jsonl');
    writeFileSync(path, lines(20));
    const rel = relative(process.cwd(), path);
    const entry = filesDataset('rec', { all: { format: 'jsonl', path: rel, options: { field: 'body' } } });
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    const bytes = readFileSync(path).length;
    const want = { split: 'all', format: 'jsonl', path, options: { field: 'body' }, bytes, sha256: sha };
    expect(await entry.files!()).toEqual([want]);
    expect(entry.cacheName).toMatch(/^rec-[0-9a-f]{8}$/);
  });

  it('an edit that keeps the byte size rebuilds the shards and the vocabulary', async () => {
    const path = join(root, 'edit.jsonl');
    const dir = join(root, 'prepared-edit');
    writeFileSync(path, lines(40));
    const dataset = () => filesDataset('edit', { all: { format: 'jsonl', path, options: { field: 'body' } } });
    const tokenizer = { name: 'char-vocab' };
    const open = () => openData({ dataset: dataset(), tokenizer, packing: 'wrap', length: 16, preparedDir: dir });
    const a = await open();
    expect(a.prepareResult.reused).toBe(false);
    expect(a.tokenizer.decode(a.tokenizer.encode('eZ'))).toBe('e<unk>');
    expect((await open()).prepareResult.reused).toBe(true);
    const before = readFileSync(path);
    writeFileSync(path, before.toString('utf8').replace(/e/g, 'Z'));
    expect(readFileSync(path).length).toBe(before.length);
    const b = await open();
    expect(b.prepareResult.reused).toBe(false);
    expect(b.tokenizer.decode(b.tokenizer.encode('eZ'))).toBe('<unk>Z'); // `e` left the vocabulary
    expect(b.record.files![0]!.sha256).not.toBe(a.record.files![0]!.sha256);
    expect(b.record.prepared.manifestSha256).not.toBe(a.record.prepared.manifestSha256);
    expect(dataRecordChanges(a.record, b.record)).toEqual([
      expect.stringMatching(/edit\.jsonl changed \(sha256 [0-9a-f]{12}… → [0-9a-f]{12}…\)$/),
      'the tokenizer changed (vocab 19 → 19)',
    ]);
    expect(dataRecordChanges(b.record, b.record)).toEqual([]);
  });
});
