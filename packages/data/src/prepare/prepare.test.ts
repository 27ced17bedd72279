import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnknownComponentError } from '@dlm/core';
import { describe, expect, it } from 'vitest';
import type { DatasetEntry } from '../corpora/dataset.ts';
import { filesDataset } from '../corpora/files-dataset.ts';
import type { Document, SplitName } from '../document.ts';
import { DataError } from '../errors.ts';
import { documentAt, documentCount } from '../packing/token-docs.ts';
import { buildTokenizer } from '../tokenizers/registry.ts';
import { loadPrepared } from './load.ts';
import { prepare, type PrepareProgress } from './prepare.ts';

const root = mkdtempSync(join(tmpdir(), 'dlm-prepare-'));

function tinyDataset(docs: Record<SplitName, string[]>, name = 'tiny'): DatasetEntry {
  return {
    name,
    description: 'test',
    source: 'test',
    licence: 'test',
    splitRule: 'given',
    splits: ['train', 'validation', 'test'],
    defaultTokenizer: 'char',
    fingerprint: async () => JSON.stringify(docs),
    async *documents(split: SplitName): AsyncIterable<Document> {
      let i = 0;
      for (const text of docs[split]) yield { id: `${split}:${i++}`, text };
    },
  };
}

const corpus = {
  train: ['the whale', 'call me ishmael', '', 'a b c d e f g', 'sea'],
  validation: ['the sea'],
  test: ['ship ahoy', 'x'],
};

describe('prepare', () => {
  it('writes Arrow shards, tokenizer.json and a manifest; loading gives the same tokens', async () => {
    const out = join(root, 'a');
    const progress: PrepareProgress[] = [];
    const r = await prepare(tinyDataset(corpus), { name: 'char' }, out, {
      shardTokens: 16,
      onProgress: (p) => progress.push(p),
      progressEvery: 1,
    });
    expect(r.reused).toBe(false);
    const m = r.manifest;
    expect(m.splits.train).toMatchObject({ documents: 4, skippedEmpty: 1, tokens: 9 + 15 + 13 + 3, characters: 40 });
    // 16-token shards: [9+15] then [13+3]
    expect(m.splits.train!.shards.map((s) => [s.file, s.documents, s.tokens])).toEqual([
      ['train-00000.arrow', 2, 24],
      ['train-00001.arrow', 2, 16],
    ]);
    expect(m.tokenizer).toMatchObject({ name: 'char', vocabSize: 27, stateFile: 'tokenizer.json' });
    expect(readdirSync(out).sort()).toEqual([
      'manifest.json',
      'test-00000.arrow',
      'tokenizer.json',
      'train-00000.arrow',
      'train-00001.arrow',
      'validation-00000.arrow',
    ]);
    for (const s of ['train', 'validation', 'test'] as const)
      expect(progress.filter((p) => p.split === s && p.done)).toHaveLength(1);

    const data = await loadPrepared(out);
    const train = data.split('train');
    expect(documentCount(train)).toBe(4);
    expect(train.ids).toEqual(['train:0', 'train:1', 'train:3', 'train:4']);
    const tok = data.tokenizer;
    expect(tok.decode(documentAt(train, 1))).toBe('call me ishmael');
    expect(Array.from(documentAt(data.split('test'), 0))).toEqual(Array.from(tok.encode('ship ahoy')));
  });

  it('is idempotent: the same inputs reuse the folder without writing', async () => {
    const out = join(root, 'b');
    const first = await prepare(tinyDataset(corpus), { name: 'word', options: { minCount: 1 } }, out);
    const before = statSync(join(out, 'manifest.json')).mtimeMs;
    const calls: PrepareProgress[] = [];
    const again = await prepare(tinyDataset(corpus), { name: 'word', options: { minCount: 1 } }, out, {
      onProgress: (p) => calls.push(p),
    });
    expect(again.reused).toBe(true);
    expect(calls).toHaveLength(0); // not even the vocabulary pass ran
    expect(again.manifest).toEqual(first.manifest);
    expect(statSync(join(out, 'manifest.json')).mtimeMs).toBe(before);
    // Other inputs rebuild: tokenizer options, dataset content, or force.
    const other = { name: 'word', options: { minCount: 1, maxVocab: 5 } };
    expect((await prepare(tinyDataset(corpus), other, out)).reused).toBe(false);
    expect((await prepare(tinyDataset(corpus), other, out)).reused).toBe(true);
    expect((await prepare(tinyDataset({ ...corpus, test: ['new'] }), other, out)).reused).toBe(false);
    expect((await prepare(tinyDataset({ ...corpus, test: ['new'] }), other, out, { force: true })).reused).toBe(false);
    expect((await loadPrepared(out)).tokenizer.vocabSize).toBe(5);
    expect(readdirSync(root).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);
  });

  it('stores the data-built vocabulary so a loaded tokenizer encodes identically', async () => {
    const out = join(root, 'c');
    await prepare(tinyDataset(corpus), { name: 'char-vocab' }, out);
    const data = await loadPrepared(out);
    const built = await buildTokenizer({ name: 'char-vocab' }, async function* () {
      yield* corpus.train;
    });
    expect(data.tokenizer.state()).toEqual(built.state());
  });

  it('rejects an unknown dataset naming the known ones, and an empty corpus without leaving files', async () => {
    await expect(prepare('moby', { name: 'char' }, join(root, 'd'))).rejects.toThrow(UnknownComponentError);
    await expect(prepare('moby', { name: 'char' }, join(root, 'd'))).rejects.toThrow(
      /moby-dick, sotu, brown, text8-moby/,
    );
    const out = join(root, 'e');
    await expect(
      prepare(tinyDataset({ train: [''], validation: [], test: [] }), { name: 'gpt2' }, out),
    ).rejects.toThrow(DataError);
    await expect(
      prepare(tinyDataset({ train: [''], validation: [], test: [] }), { name: 'char' }, out),
    ).rejects.toThrow(/empty corpus/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((f) => f.startsWith('e.'))).toEqual([]);
  });

  it('detects a corrupt or truncated shard, naming the file', async () => {
    const out = join(root, 'f');
    await prepare(tinyDataset(corpus), { name: 'char' }, out);
    const shard = join(out, 'train-00000.arrow');
    const bytes = readFileSync(shard);
    const k = bytes.length >> 1;
    bytes[k] = bytes[k]! ^ 0xff;
    writeFileSync(shard, bytes);
    const data = await loadPrepared(out);
    expect(() => data.split('train')).toThrow(DataError);
    expect(() => data.split('train')).toThrow(/train-00000\.arrow is corrupt or truncated, expected sha256/);
    expect(data.split('test').offsets.length).toBe(3); // other splits still load
    truncateSync(shard, 100);
    const unverified = await loadPrepared(out, { verify: false });
    expect(() => unverified.split('train')).toThrow(
      /read token shard: .*train-00000\.arrow is corrupt or truncated, expected an Arrow IPC file/,
    );
    // prepare notices the truncated file (size differs) and refuses it, naming the file; --force rebuilds.
    await expect(prepare(tinyDataset(corpus), { name: 'char' }, out)).rejects.toThrow(
      /train-00000\.arrow is a truncated or missing Arrow shard.*--force/,
    );
    const again = await prepare(tinyDataset(corpus), { name: 'char' }, out, { force: true });
    expect(again.reused).toBe(false);
    expect((await loadPrepared(out)).split('train').values.length).toBe(40);
  });

  it('reports a missing folder or manifest clearly', async () => {
    await expect(loadPrepared(join(root, 'nowhere'))).rejects.toThrow(/manifest\.json not found/);
  });

  it('prepares a files dataset (jsonl, split by the document rule)', async () => {
    const path = join(root, 'docs.jsonl');
    writeFileSync(
      path,
      Array.from({ length: 40 }, (_, i) =>
        JSON.stringify({ text: `doc ${'abcdefghijklmnopqrstuvwxyzabcdefghijklmn'[i]}` }),
      ).join('\n'),
    );
    const r = await prepare(
      filesDataset('mine', { all: { format: 'jsonl', path } }),
      { name: 'char' },
      join(root, 'g'),
    );
    expect([
      r.manifest.splits.train!.documents,
      r.manifest.splits.validation!.documents,
      r.manifest.splits.test!.documents,
    ]).toEqual([36, 2, 2]);
  });
});

describe('prepare on the bundled text8-moby corpus', () => {
  it('matches the measured sizes on the dataset card', async () => {
    const r = await prepare('text8-moby', { name: 'char' }, join(root, 'text8-moby'));
    const s = r.manifest.splits;
    expect([s.train!.tokens, s.validation!.tokens, s.test!.tokens]).toEqual([1_051_616, 58_423, 58_424]);
    expect(r.manifest.dataset.splitRule).toContain('⌊0.9n⌋');
    const data = await loadPrepared(r.dir);
    const v = data.split('validation');
    expect(v.values.length).toBe(58_423);
    expect(Math.max(...v.values)).toBeLessThan(27);
  });
});
