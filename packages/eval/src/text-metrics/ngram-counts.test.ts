import { describe, expect, it } from 'vitest';
import { clippedMatches, countNgrams, totalCount } from './ngram-counts.ts';

describe('n-gram counts', () => {
  it('counts n-grams joined by the separator; none when shorter than n', () => {
    const c = countNgrams(['the', 'cat', 'the', 'cat'], 2, ' ');
    expect([...c]).toEqual([
      ['the cat', 2],
      ['cat the', 1],
    ]);
    expect(totalCount(c)).toBe(3);
    expect(countNgrams(['a'], 2, ' ').size).toBe(0);
    expect([...countNgrams(['a', 'b', 'a'], 1, '')]).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('clipped matches take the smaller count of each shared n-gram', () => {
    const a = new Map([
      ['x', 3],
      ['y', 1],
      ['z', 2],
    ]);
    const b = new Map([
      ['x', 1],
      ['z', 5],
      ['w', 9],
    ]);
    expect(clippedMatches(a, b)).toBe(1 + 2);
    expect(clippedMatches(b, a)).toBe(1 + 2);
    expect(clippedMatches(a, new Map())).toBe(0);
  });
});
