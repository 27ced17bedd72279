import { ConfigError, UnknownComponentError } from '@dlm/core';
import { describe, expect, it } from 'vitest';
import { packBlocks } from './registry.ts';
import { tokenDocs } from './token-docs.ts';

const rowsOf = (p: { tokens: Int32Array; rows: number; length: number }) =>
  Array.from({ length: p.rows }, (_, r) => Array.from(p.tokens.subarray(r * p.length, (r + 1) * p.length)));
const B = 100;
const E = 101;
const P = 102;

describe('wrap packing (MDLM _group_texts)', () => {
  it('appends EOS to each document, cuts L−2 chunks and frames each as [BOS] chunk [EOS]', () => {
    const docs = tokenDocs([
      [1, 2, 3],
      [4, 5],
      [6, 7, 8, 9],
    ]);
    // stream: 1 2 3 E 4 5 E 6 7 8 9 E (12 tokens) → chunks of 4: [1 2 3 E] [4 5 E 6] [7 8 9 E]
    const p = packBlocks(docs, 'wrap', 6, { bos: B, eos: E });
    expect(rowsOf(p)).toEqual([
      [B, 1, 2, 3, E, E],
      [B, 4, 5, E, 6, E],
      [B, 7, 8, 9, E, E],
    ]);
    expect(p.attentionMask).toBeUndefined();
    expect(p.stats).toEqual({ documents: 3, droppedTokens: 0, truncatedDocuments: 0 });
  });
  it('drops the tail that does not fill a chunk', () => {
    const p = packBlocks(tokenDocs([[1, 2, 3, 4, 5]]), 'wrap', 5, { bos: B, eos: E });
    // stream 1 2 3 4 5 E → chunks of 3: [1 2 3] [4 5 E]
    expect(rowsOf(p)).toEqual([
      [B, 1, 2, 3, E],
      [B, 4, 5, E, E],
    ]);
    const q = packBlocks(tokenDocs([[1, 2, 3, 4, 5, 6]]), 'wrap', 5, { bos: B, eos: E });
    expect(q.rows).toBe(2);
    expect(q.stats.droppedTokens).toBe(1); // the final EOS
  });
  it('needs bos and eos, and L >= 3', () => {
    expect(() => packBlocks(tokenDocs([[1]]), 'wrap', 8, { eos: E })).toThrow(/bos and eos/);
    expect(() => packBlocks(tokenDocs([[1]]), 'wrap', 2, { bos: B, eos: E })).toThrow(ConfigError);
  });
});

describe('pad packing', () => {
  it('puts one document per row as [BOS] doc [EOS] PAD… with an attention mask', () => {
    const p = packBlocks(
      tokenDocs([
        [1, 2],
        [3, 4, 5, 6, 7, 8],
      ]),
      'pad',
      6,
      { bos: B, eos: E, pad: P },
    );
    expect(rowsOf(p)).toEqual([
      [B, 1, 2, E, P, P],
      [B, 3, 4, 5, 6, E],
    ]);
    expect(Array.from(p.attentionMask!)).toEqual([1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(p.stats).toEqual({ documents: 2, droppedTokens: 2, truncatedDocuments: 1 });
  });
  it('works without BOS/EOS but requires PAD', () => {
    const p = packBlocks(tokenDocs([[1]]), 'pad', 3, { pad: P });
    expect(rowsOf(p)).toEqual([[1, P, P]]);
    expect(Array.from(p.attentionMask!)).toEqual([1, 0, 0]);
    expect(() => packBlocks(tokenDocs([[1]]), 'pad', 3, { bos: B })).toThrow(/pad id/);
  });
});

describe('chunk packing', () => {
  it('concatenates without separators and drops the last partial row', () => {
    const p = packBlocks(
      tokenDocs([
        [1, 2, 3],
        [4, 5, 6, 7],
      ]),
      'chunk',
      3,
    );
    expect(rowsOf(p)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(p.stats.droppedTokens).toBe(1);
  });
  it('an unknown mode lists the valid ones', () => {
    expect(() => packBlocks(tokenDocs([[1]]), 'concat', 3)).toThrow(UnknownComponentError);
    expect(() => packBlocks(tokenDocs([[1]]), 'concat', 3)).toThrow(/wrap, pad, chunk/);
  });
});
