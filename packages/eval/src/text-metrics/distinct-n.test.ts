import { describe, expect, it } from 'vitest';
import { distinctN } from './distinct-n.ts';

describe('distinct-n', () => {
  it('unique n-grams over all n-grams of all outputs; n-grams stay inside one output', () => {
    const outs = ['the cat sat', 'the cat ran', 'a'];
    // unigrams: the, cat, sat, the, cat, ran, a → 5 distinct of 7
    expect(distinctN(outs, 1)).toEqual({ n: 1, unique: 5, total: 7, distinct: 5 / 7 });
    // bigrams: 'the cat' ×2, 'cat sat', 'cat ran' ('sat the' would cross outputs) → 3 of 4
    expect(distinctN(outs, 2)).toEqual({ n: 2, unique: 3, total: 4, distinct: 3 / 4 });
    expect(distinctN(outs, 3)).toMatchObject({ unique: 2, total: 2, distinct: 1 });
  });

  it('splits on whitespace, keeps case and punctuation; 0 with no n-gram; custom tokenizer', () => {
    expect(distinctN(['The the the.'], 1)).toMatchObject({ unique: 3, total: 3 });
    expect(distinctN(['', 'a'], 2)).toEqual({ n: 2, unique: 0, total: 0, distinct: 0 });
    expect(distinctN(['abca'], 1, { tokenize: (s) => [...s] })).toMatchObject({ unique: 3, total: 4 });
    expect(() => distinctN(['a'], 0)).toThrow(/distinctN: n.*integer ≥ 1.*got 0/);
  });
});
