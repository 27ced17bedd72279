import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPrepareCommand, parseTokenizerArg } from './data-prepare.ts';

describe('parseTokenizerArg', () => {
  it('parses name and typed options', () => {
    expect(parseTokenizerArg('gpt2')).toEqual({ name: 'gpt2' });
    expect(parseTokenizerArg('word:minCount=3,lowercase=true')).toEqual({
      name: 'word',
      options: { minCount: 3, lowercase: true },
    });
    expect(parseTokenizerArg('hf:path=tok/tokenizer.json')).toEqual({
      name: 'hf',
      options: { path: 'tok/tokenizer.json' },
    });
    expect(() => parseTokenizerArg('word:minCount')).toThrow(/key=value/);
  });
});

describe('dataPrepareCommand', () => {
  it('prepares the bundled corpus, prints a line per split, and is cached on the second run', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dlm-cli-data-')), 'moby');
    const lines: string[] = [];
    const r = await dataPrepareCommand({ dataset: 'moby-dick', tokenizer: 'word:minCount=2', out }, (l) =>
      lines.push(l),
    );
    expect(r.reused).toBe(false);
    expect(lines.slice(0, 3)).toEqual([
      expect.stringMatching(/^moby-dick vocabulary: 126 documents/),
      expect.stringMatching(/^moby-dick train: 126 documents, [\d,]+ tokens \(done\)$/),
      expect.stringMatching(/^moby-dick validation: 6 documents/),
    ]);
    expect(lines.at(-1)).toMatch(
      /^prepared: moby-dick with word \(vocab \d+\) → .*moby \[tokens: train [\d,]+, validation [\d,]+, test [\d,]+\]$/,
    );
    const again: string[] = [];
    const r2 = await dataPrepareCommand({ dataset: 'moby-dick', tokenizer: 'word:minCount=2', out }, (l) =>
      again.push(l),
    );
    expect(r2.reused).toBe(true);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatch(/^up to date: moby-dick/);
  });
  it('names the known datasets for an unknown one', async () => {
    await expect(dataPrepareCommand({ dataset: 'tiny-shakespeare' }, () => {})).rejects.toThrow(
      /moby-dick, sotu, brown, text8-moby, text8, wikitext103, lm1b, openwebtext/,
    );
  });
});
