import { Rng } from '@dlm/core';
import { describe, expect, it } from 'vitest';
import { FrequencyList, fnv1a } from './frequency-list.ts';

// 30 words w00…w29 with counts 100 − i, plus ties and words the list leaves out.
const counts = new Map<string, number>(
  Array.from({ length: 30 }, (_, i) => [
    `w${String.fromCharCode(97 + (i % 26))}${'x'.repeat(Math.floor(i / 26))}`,
    100 - i,
  ]),
);
counts.set('once', 1);
counts.set('toolongword', 500);
const list = new FrequencyList(counts, { window: 3, minCount: 2, maxWordChars: 9 });

describe('FrequencyList', () => {
  it('ranks by count, leaving out rare and long words', () => {
    expect(list.words).toHaveLength(30);
    expect(list.words[0]).toBe('wa');
    expect(list.rankOf('once')).toBeUndefined();
    expect(list.rankOf('toolongword')).toBeUndefined();
  });

  it('pools the 2·window nearest ranks without the word, shifted at the ends', () => {
    expect(list.pool(list.words[10]!)).toEqual([7, 8, 9, 11, 12, 13].map((r) => list.words[r]));
    expect(list.pool(list.words[0]!)).toEqual([1, 2, 3, 4, 5, 6].map((r) => list.words[r]));
    expect(list.pool(list.words[29]!)).toEqual([23, 24, 25, 26, 27, 28].map((r) => list.words[r]));
  });

  it('draws distinct words of the pool, seeded', () => {
    const w = list.words[15]!;
    const a = list.draw(w, 3, Rng.seeded(4));
    expect(new Set(a).size).toBe(3);
    expect(a).not.toContain(w);
    for (const d of a) expect(Math.abs(list.rankOf(d)! - 15)).toBeLessThanOrEqual(3);
    expect(list.draw(w, 3, Rng.seeded(4))).toEqual(a);
  });

  it('orders tied words by their hash, not alphabetically', () => {
    const tied = new Map(['apple', 'apply', 'bread', 'zebra', 'yacht', 'mango', 'olive'].map((w) => [w, 5]));
    const l = new FrequencyList(tied, { window: 1, minCount: 2, maxWordChars: 9 });
    expect(l.words).toEqual([...tied.keys()].sort((a, b) => fnv1a(a) - fnv1a(b)));
    expect(fnv1a('a')).toBe(0xe40c292c); // FNV-1a 32 of "a"
  });

  it('a list shorter than one pool is an error', () => {
    expect(() => new FrequencyList(new Map([['a', 3]]), { window: 3, minCount: 2, maxWordChars: 9 })).toThrow(
      /a word list of at least 7 words/,
    );
  });
});
