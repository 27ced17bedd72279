// BLEU on small pairs whose statistics and score follow from the formulas in bleu.ts by hand; the sacreBLEU values
// on the fixture are checked in ../fixtures/seq2seq-metrics-fixtures.test.ts.
import { describe, expect, it } from 'vitest';
import { bleuFromStats, bleuSegmentStats, closestRefLen, corpusBleu, sentenceBleu, sumBleuStats } from './bleu.ts';

describe('BLEU statistics', () => {
  it('counts clipped n-grams of the 13a tokens', () => {
    // tokens: [the, cat, the, cat, .] vs [the, cat, sat, .]
    expect(bleuSegmentStats('the cat the cat.', ['the cat sat.'])).toEqual({
      counts: [3, 1, 0, 0],
      totals: [5, 4, 3, 2],
      sysLen: 5,
      refLen: 4,
    });
  });

  it('merges references by max count and takes the closest length, the shorter on a tie', () => {
    expect(closestRefLen(5, [7, 3, 4, 6])).toBe(4);
    expect(closestRefLen(5, [7, 3])).toBe(3);
    const s = bleuSegmentStats('a a b', ['a b', 'a a', 'x y z w v']);
    expect(s.counts).toEqual([3, 2, 0, 0]); // 'a' ×2 from the second ref, 'b' from the first; 'a a', 'a b'
    expect(s.refLen).toBe(2);
  });

  it('drops empty references and refuses a segment with none (as sacreBLEU)', () => {
    expect(bleuSegmentStats('a b', ['', 'a b']).refLen).toBe(2);
    expect(() => sentenceBleu('a b', '')).toThrow(/sentenceBleu: references.*non-empty reference.*got \[""\]/);
  });

  it('sums statistics over segments', () => {
    const s = sumBleuStats([
      { counts: [1, 2, 3, 4], totals: [5, 6, 7, 8], sysLen: 5, refLen: 6 },
      { counts: [1, 0, 0, 0], totals: [1, 0, 0, 0], sysLen: 1, refLen: 3 },
    ]);
    expect(s).toEqual({ counts: [2, 2, 3, 4], totals: [6, 6, 7, 8], sysLen: 6, refLen: 9 });
  });
});

describe('BLEU score', () => {
  it('exp smoothing halves the pseudo-count at each order with no match', () => {
    // a b c d vs a b x d: counts [3, 1, 0, 0] of [4, 3, 2, 1]
    const r = bleuFromStats(bleuSegmentStats('a b c d', ['a b x d']));
    expect(r.precisions).toEqual([75, 100 / 3, 100 / (2 * 2), 100 / (4 * 1)]);
    expect(r.bp).toBe(1);
    const expected = Math.exp((Math.log(75) + Math.log(100 / 3) + Math.log(25) + Math.log(25)) / 4);
    expect(r.score).toBeCloseTo(expected, 12);
  });

  it('effective order: sentence BLEU stops at the last order with n-grams; corpus BLEU takes log 0', () => {
    // 3 tokens against 6: every hypothesis n-gram matches, order 4 has none.
    const s = sentenceBleu('the cat sat', 'the cat sat on the mat');
    expect(s.counts).toEqual([3, 2, 1, 0]);
    expect(s.totals).toEqual([3, 2, 1, 0]);
    expect(s.precisions).toEqual([100, 100, 100, 0]);
    expect(s.bp).toBe(Math.exp(1 - 6 / 3));
    expect(s.score).toBeCloseTo(100 * Math.exp(-1), 12);
    const c = corpusBleu(['the cat sat'], ['the cat sat on the mat']);
    expect(c.score).toBe(Math.exp(1 - 6 / 3) * Math.exp((3 * Math.log(100) - 9999999999) / 4));
    expect(c.score).toBe(0);
  });

  it('no match at all scores 0 with precisions 0; an empty hypothesis has brevity penalty 0', () => {
    const none = sentenceBleu('x y z', 'a b c');
    expect(none).toMatchObject({ score: 0, precisions: [0, 0, 0, 0], bp: 1, totals: [3, 2, 1, 0] });
    const empty = sentenceBleu('', 'a b c');
    expect(empty).toMatchObject({ score: 0, bp: 0, sysLen: 0, refLen: 3, totals: [0, 0, 0, 0] });
    expect(sentenceBleu('The cat sat on the mat.', 'The cat sat on the mat.').score).toBeCloseTo(100, 12);
  });

  it('is case-sensitive and right-strips before tokenizing', () => {
    expect(sentenceBleu('the quick brown fox', 'The Quick Brown Fox').score).toBe(0);
    expect(bleuSegmentStats('a b  \t', ['a b']).sysLen).toBe(2);
  });

  it('corpus BLEU needs one reference per hypothesis', () => {
    expect(() => corpusBleu(['a', 'b'], ['a'])).toThrow(
      /corpusBleu: references, expected 2 lines, as many as hypotheses, got 1 lines/,
    );
  });
});
