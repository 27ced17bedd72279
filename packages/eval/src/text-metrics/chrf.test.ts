// chrF on pairs whose statistics and score follow from the formulas in chrf.ts by hand; the sacreBLEU values on the
// fixture are checked in ../fixtures/seq2seq-metrics-fixtures.test.ts.
import { describe, expect, it } from 'vitest';
import { chrfFromStats, chrfSegmentStats, chrfWords, corpusChrf, sentenceChrf } from './chrf.ts';

const chrf = (p: number, r: number) => (100 * (5 * p * r)) / (4 * p + r);

describe('chrF++ word split', () => {
  it('splits one punctuation mark off the end, else off the start; single characters stay', () => {
    expect(chrfWords('(hi) "stop" a. . -- it\'s x,y ,z')).toEqual([
      '(hi',
      ')',
      '"stop',
      '"',
      'a',
      '.',
      '.',
      '-',
      '-',
      "it's",
      'x,y',
      ',',
      'z',
    ]);
    expect(chrfWords('  tab\tseparated  ')).toEqual(['tab', 'separated']);
    expect(chrfWords('naïve…')).toEqual(['naïve…']); // '…' is not ASCII punctuation
  });
});

describe('chrF statistics and score', () => {
  it('uses character n-grams without whitespace; orders the reference lacks record hyp = 0', () => {
    // hyp 'abcd', ref 'ab': order 1: 4, 2, 2; order 2: 3, 1, 1; orders 3-6: the reference has none.
    const s = chrfSegmentStats('a b c d', 'ab');
    expect(s).toEqual([4, 2, 2, 3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // P = (2/4 + 1/3)/2 = 5/12, R = 1: chrF = 100·5·(5/12)/(4·5/12 + 1) = 78.125
    expect(sentenceChrf('a b c d', 'ab')).toBeCloseTo(78.125, 12);
    expect(chrfFromStats(s)).toBe(sentenceChrf('a b c d', 'ab'));
  });

  it('chrF++ adds word unigrams and bigrams after the character orders', () => {
    // chars identical ('ab', orders 1-2); words [a, b] vs [ab]: order 1: 2, 1, 0; order 2: ref has none → 0, 0, 0.
    const s = chrfSegmentStats('a b', 'ab', { wordOrder: 2 });
    expect(s).toHaveLength(3 * 8);
    expect(s.slice(18)).toEqual([2, 1, 0, 0, 0, 0]);
    expect(sentenceChrf('a b', 'ab')).toBe(100);
    // P = R = (1 + 1 + 0)/3
    expect(sentenceChrf('a b', 'ab', { wordOrder: 2 })).toBeCloseTo(chrf(2 / 3, 2 / 3), 12);
  });

  it('corpus chrF sums the statistics before scoring (not the mean of sentence scores)', () => {
    // ('abcd', 'ab') + ('abcd', 'abcd'): order 1: 8, 6, 6; 2: 6, 4, 4; 3: 2, 2, 2; 4: 1, 1, 1; 5-6: none.
    const p = (6 / 8 + 4 / 6 + 2 / 2 + 1 / 1) / 4;
    const r = (6 / 6 + 4 / 4 + 1 + 1) / 4;
    expect(corpusChrf(['abcd', 'abcd'], ['ab', 'abcd'])).toBeCloseTo(chrf(p, r), 12);
    const meanOfSentences = (sentenceChrf('abcd', 'ab') + sentenceChrf('abcd', 'abcd')) / 2;
    expect(Math.abs(corpusChrf(['abcd', 'abcd'], ['ab', 'abcd']) - meanOfSentences)).toBeGreaterThan(1);
  });

  it('counts code points, is case-sensitive, gives 0 for an empty hypothesis', () => {
    expect(chrfSegmentStats('😀x', '😀x').slice(0, 6)).toEqual([2, 2, 2, 1, 1, 1]);
    expect(sentenceChrf('ABC', 'abc')).toBe(0);
    expect(sentenceChrf('', 'abc')).toBe(0);
  });

  it('keeps the statistics of the best reference; refuses empty references and bad orders', () => {
    expect(sentenceChrf('abc', ['xyz', 'abc', ''])).toBe(100);
    expect(() => sentenceChrf('abc', '')).toThrow(/sentenceChrf: references.*non-empty reference/);
    expect(() => sentenceChrf('abc', 'abc', { wordOrder: -1 })).toThrow(/wordOrder.*integer ≥ 0.*got -1/);
    expect(() => corpusChrf(['a'], [])).toThrow(/corpusChrf: references, expected 1 lines.*got 0 lines/);
    expect(() => chrfFromStats([1, 2, 3])).toThrow(/chrfFromStats: stats.*expected 18 numbers.*got 3/);
  });
});
