import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import { PairTooLongError, packPairs, pairBatch } from './pack-pairs.ts';
import type { TokenizedPair } from './tokenize-pairs.ts';

const BOS = 90,
  EOS = 91;
const pair = (id: string, prompt: number[], response: number[]): TokenizedPair => ({
  id,
  prompt: Int32Array.from(prompt),
  response: Int32Array.from(response),
});
const rows = (ids: Int32Array, L: number) =>
  Array.from({ length: ids.length / L }, (_, r) => Array.from(ids.subarray(r * L, (r + 1) * L)));

describe('packPairs', () => {
  it('[BOS] prompt response [EOS]… per row, with prompt and answer lengths', () => {
    const p = packPairs([pair('a', [1, 2], [3, 4, 5]), pair('b', [6], [7])], { rowLength: 8, bos: BOS, eos: EOS });
    expect(p.shape).toEqual([2, 8]);
    expect(rows(p.ids, 8)).toEqual([
      [BOS, 1, 2, 3, 4, 5, EOS, EOS],
      [BOS, 6, 7, EOS, EOS, EOS, EOS, EOS],
    ]);
    expect(Array.from(p.promptLengths)).toEqual([3, 2]);
    // EOS padding counts as answer (LLaDA trains on it so the model learns to stop).
    expect(Array.from(p.answerLengths)).toEqual([5, 6]);
    expect([p.pairIds, p.truncated, p.dropped]).toEqual([['a', 'b'], 0, 0]);
  });
  it('an exact fit keeps one EOS; without BOS the row starts with the prompt', () => {
    const p = packPairs([pair('a', [1, 2], [3, 4, 5])], { rowLength: 7, bos: BOS, eos: EOS });
    expect(rows(p.ids, 7)).toEqual([[BOS, 1, 2, 3, 4, 5, EOS]]);
    const q = packPairs([pair('a', [1, 2], [3])], { rowLength: 5, eos: EOS });
    expect([rows(q.ids, 5), Array.from(q.promptLengths)]).toEqual([[[1, 2, 3, EOS, EOS]], [2]]);
  });
  it('too long: a named error by default, or truncate / drop', () => {
    const long = [pair('ok', [1], [2]), pair('f.jsonl:2', [1, 2], [3, 4, 5, 6])];
    const err = (() => {
      try {
        packPairs(long, { rowLength: 6, bos: BOS, eos: EOS });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(PairTooLongError);
    expect(err?.message).toMatch(/pair f\.jsonl:2.*rowLength 6.*needs 8/);
    const t = packPairs(long, { rowLength: 6, bos: BOS, eos: EOS, overflow: 'truncate' });
    expect(rows(t.ids, 6)).toEqual([
      [BOS, 1, 2, EOS, EOS, EOS],
      [BOS, 1, 2, 3, 4, EOS],
    ]);
    expect(t.truncated).toBe(1);
    const d = packPairs(long, { rowLength: 6, bos: BOS, eos: EOS, overflow: 'drop' });
    expect([d.shape, d.pairIds, d.dropped]).toEqual([[1, 6], ['ok'], 1]);
    // A prompt that leaves no room for the EOS cannot be truncated.
    const noRoom = [pair('p', [1, 2, 3, 4, 5], [])];
    const cut = { rowLength: 6, bos: BOS, eos: EOS, overflow: 'truncate' } as const;
    expect(() => packPairs(noRoom, cut)).toThrow(/prompt alone needs 6/);
  });
  it('checks its options', () => {
    expect(() => packPairs([], { rowLength: 1, eos: EOS })).toThrow(/packPairs: rowLength/);
    expect(() => packPairs([], { rowLength: 4, eos: -1 })).toThrow(ConfigError);
    expect(() => packPairs([], { rowLength: 4, eos: EOS, overflow: 'cut' as never })).toThrow(/error, truncate, drop/);
  });
});

describe('pairBatch', () => {
  it('gathers rows, prompt lengths and the [B, L] prompt mask', () => {
    const p = packPairs([pair('a', [1, 2], [3]), pair('b', [6], [7, 8])], { rowLength: 5, bos: BOS, eos: EOS });
    const b = pairBatch(p, [1, 0]);
    expect(rows(b.ids, 5)).toEqual([
      [BOS, 6, 7, 8, EOS],
      [BOS, 1, 2, 3, EOS],
    ]);
    expect(Array.from(b.promptLengths)).toEqual([2, 3]);
    expect(Array.from(b.promptMask)).toEqual([1, 1, 0, 0, 0, 1, 1, 1, 0, 0]);
    expect(() => pairBatch(p, [2])).toThrow(/indices\[0\]/);
  });
});
