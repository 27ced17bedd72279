// ROUGE on pairs whose values follow from the formulas in rouge.ts by hand; the rouge-score values on the fixture
// are checked in ../fixtures/seq2seq-metrics-fixtures.test.ts.
import { describe, expect, it } from 'vitest';
import { lcsLength, meanRouge, rougeL, rougeN, rougeScores, rougeTokens } from './rouge.ts';

describe('rouge-score tokenizer', () => {
  it('lower-cases, turns every non-[a-z0-9] run into a space, drops empty tokens', () => {
    expect(rougeTokens("The café's state-of-the-art, 3.5 kg!")).toEqual([
      'the',
      'caf',
      's',
      'state',
      'of',
      'the',
      'art',
      '3',
      '5',
      'kg',
    ]);
    expect(rougeTokens('  \t ')).toEqual([]);
    expect(rougeTokens('ÀB naïve')).toEqual(['b', 'na', 've']);
  });

  it('with the stemmer, stems only tokens longer than 3 characters', () => {
    expect(rougeTokens('The runners were running quickly; was this ties', { stemmer: true })).toEqual([
      'the',
      'runner',
      'were',
      'run',
      'quickli',
      'was',
      'thi',
      'tie',
    ]);
  });
});

describe('ROUGE-N and ROUGE-L', () => {
  it('ROUGE-N clips matches per n-gram and divides by max(count, 1)', () => {
    const r = rougeN(['the', 'cat', 'is', 'on', 'the', 'mat'], ['the', 'the', 'the', 'cat'], 1);
    // matches: the min(2, 3) + cat 1 = 3; P = 3/4, R = 3/6
    expect(r).toEqual({ precision: 3 / 4, recall: 3 / 6, fmeasure: (2 * (3 / 4) * (3 / 6)) / (3 / 4 + 3 / 6) });
    expect(rougeN(['a'], ['a'], 2)).toEqual({ precision: 0, recall: 0, fmeasure: 0 });
    expect(rougeN([], ['a', 'b'], 1)).toEqual({ precision: 0, recall: 0, fmeasure: 0 });
  });

  it('ROUGE-L uses the longest common subsequence; 0 if a side is empty', () => {
    expect(lcsLength(['a', 'b', 'c', 'b', 'd', 'a', 'b'], ['b', 'd', 'c', 'a', 'b', 'a'])).toBe(4);
    const r = rougeL(['the', 'cat', 'sat', 'on', 'the', 'mat'], ['on', 'the', 'mat', 'sat', 'the', 'cat']);
    expect(r.precision).toBe(3 / 6);
    expect(r.recall).toBe(3 / 6);
    expect(rougeL([], ['a'])).toEqual({ precision: 0, recall: 0, fmeasure: 0 });
  });

  it('scores (hypothesis, reference) with the reference as target, and means per field', () => {
    const s = rougeScores('cats dogs houses studies', 'cat dog house study', { stemmer: true });
    expect(s.rouge1).toEqual({ precision: 1, recall: 1, fmeasure: 1 });
    expect(rougeScores('cats dogs houses studies', 'cat dog house study').rouge1.fmeasure).toBe(0);
    const short = rougeScores('a b', 'a b c d');
    expect(short.rouge1).toMatchObject({ precision: 1, recall: 0.5 });
    const m = meanRouge([s, short]);
    expect(m.rouge1.recall).toBe((1 + 0.5) / 2);
    expect(meanRouge([]).rougeL).toEqual({ precision: 0, recall: 0, fmeasure: 0 });
  });
});
