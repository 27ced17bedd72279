import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Document, SplitName } from '../document.ts';
import { DataError } from '../errors.ts';
import { writeTinyParquet } from '../testing/tiny-parquet.ts';
import { untagBrown } from './brown.ts';
import { getDataset } from './registry.ts';
import { characterSplitRange, documentSplit } from './splits.ts';
import { TEXT8_PIECE } from './text8.ts';

async function all(it: AsyncIterable<Document>): Promise<Document[]> {
  const out: Document[] = [];
  for await (const d of it) out.push(d);
  return out;
}
async function counts(name: string, rawDir?: string): Promise<Record<string, number>> {
  const ds = getDataset(name, rawDir ? { rawDir } : {});
  const out: Record<string, number> = {};
  for (const s of ds.splits) out[s] = (await all(ds.documents(s))).length;
  return out;
}

describe('split rules', () => {
  it('documents: index mod 20 → 18 validation, 19 test', () => {
    expect(Array.from({ length: 40 }, (_, i) => documentSplit(i)).join('').length).toBeGreaterThan(0);
    expect([17, 18, 19, 20, 38, 39].map(documentSplit)).toEqual([
      'train',
      'validation',
      'test',
      'train',
      'validation',
      'test',
    ]);
  });
  it('characters: text8 gets exactly 90M / 5M / 5M', () => {
    const n = 100_000_000;
    expect((['train', 'validation', 'test'] as SplitName[]).map((s) => characterSplitRange(n, s))).toEqual([
      [0, 90_000_000],
      [90_000_000, 95_000_000],
      [95_000_000, 100_000_000],
    ]);
  });
});

describe('bundled corpora', () => {
  it('moby-dick: 138 sections (no table of contents), 126 / 6 / 6', async () => {
    expect(await counts('moby-dick')).toEqual({ train: 126, validation: 6, test: 6 });
    const [first] = await all(getDataset('moby-dick').documents('train'));
    expect(first!.id).toBe('moby-dick:etymology');
  });
  it('sotu: 233 addresses, 211 / 11 / 11, unique ids', async () => {
    expect(await counts('sotu')).toEqual({ train: 211, validation: 11, test: 11 });
  });
  it('brown: 500 samples, 450 / 25 / 25, tags stripped', async () => {
    expect(await counts('brown')).toEqual({ train: 450, validation: 25, test: 25 });
    const [ca01] = await all(getDataset('brown').documents('train'));
    expect(
      ca01!.text.startsWith(
        'The Fulton County Grand Jury said Friday an investigation of Atlanta\'s recent primary election produced "no evidence" that any irregularities took place.',
      ),
    ).toBe(true);
    expect(ca01!.text).not.toMatch(/\/(at|nn|vbd)\b/);
  });
  it('untagBrown detokenizes quotes and punctuation', () => {
    expect(untagBrown("\tHe/pps said/vbd ``/`` yes/rb ''/'' ,/, (/( 1/2/cd )/) ./.\n")).toBe('He said "yes", (1/2).');
  });
  it('text8-moby: one a–z/space stream split 90/5/5 by characters', async () => {
    const ds = getDataset('text8-moby');
    const parts = await Promise.all(ds.splits.map(async (s) => (await all(ds.documents(s)))[0]!.text));
    expect(parts.map((p) => p.length)).toEqual([1_051_616, 58_423, 58_424]);
    expect(parts.join('')).toMatch(/^[a-z ]+$/);
    expect(parts[0]!.startsWith('etymology supplied by a late consumptive usher')).toBe(true);
  });
});

describe('datasets from local files', () => {
  it('text8 reads <rawDir>/text8, cuts 1M-character pieces, and names the download when missing', async () => {
    const raw = mkdtempSync(join(tmpdir(), 'dlm-raw-'));
    await expect(all(getDataset('text8', { rawDir: raw }).documents('train'))).rejects.toThrow(
      /text8.*not found.*text8\.zip/,
    );
    const n = 2_400_000;
    writeFileSync(join(raw, 'text8'), ' anarchism originated'.padEnd(n, ' x'));
    const ds = getDataset('text8', { rawDir: raw });
    const train = await all(ds.documents('train'));
    expect(train.map((d) => d.text.length)).toEqual([TEXT8_PIECE, TEXT8_PIECE, 160_000]);
    expect((await all(ds.documents('test')))[0]!.text.length).toBe(120_000);
    expect(await ds.fingerprint()).toMatch(/^text8 2400000 bytes sha256 [0-9a-f]{64}$/);
  });
  it('openwebtext takes validation from the last documents of train (MDLM train[-100000:])', async () => {
    const raw = mkdtempSync(join(tmpdir(), 'dlm-raw-'));
    mkdirSync(join(raw, 'openwebtext'));
    const rows = Array.from({ length: 100_003 }, (_, i) => `page ${i}`);
    writeFileSync(
      join(raw, 'openwebtext', 'train-00000-of-00002.parquet'),
      writeTinyParquet({ text: rows.slice(0, 50_000) }),
    );
    writeFileSync(
      join(raw, 'openwebtext', 'train-00001-of-00002.parquet'),
      writeTinyParquet({ text: rows.slice(50_000) }),
    );
    const ds = getDataset('openwebtext', { rawDir: raw });
    expect(ds.splits).toEqual(['train', 'validation']);
    expect((await all(ds.documents('train'))).map((d) => d.text)).toEqual(['page 0', 'page 1', 'page 2']);
    const valid = await all(ds.documents('validation'));
    expect(valid).toHaveLength(100_000);
    expect(valid[0]!.text).toBe('page 3');
  });
  it('wikitext103 reads <split>.jsonl / parquet exports and says which files are missing', async () => {
    const raw = mkdtempSync(join(tmpdir(), 'dlm-raw-'));
    await expect(all(getDataset('wikitext103', { rawDir: raw }).documents('train'))).rejects.toThrow(
      /wikitext103.*not found/,
    );
    mkdirSync(join(raw, 'wikitext103'));
    writeFileSync(join(raw, 'wikitext103', 'train.jsonl'), '{"text": " = Valkyria = \\n"}\n{"text": ""}\n');
    const ds = getDataset('wikitext103', { rawDir: raw });
    expect((await all(ds.documents('train'))).map((d) => d.text)).toEqual([' = Valkyria = \n', '']);
    await expect(all(ds.documents('test'))).rejects.toThrow(DataError);
    await expect(all(ds.documents('test'))).rejects.toThrow(/has no test files/);
  });
});
