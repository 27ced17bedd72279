import { describe, expect, it } from 'vitest';
import { diffuseqBleu, diffuseqMeanBleu, nltkSentenceBleu } from './nltk-bleu.ts';
import { sentenceBleu } from './bleu.ts';

// Expected values are worked out by hand from the definition in nltk-bleu.ts (the closed forms are written next to
// them); NLTK 3.10.3's sentence_bleu(..., smoothing_function=SmoothingFunction().method4) gives the same numbers.
const ln = Math.log;
const words = (s: string): string[] => s.split(' ');

describe('nltkSentenceBleu (NLTK sentence_bleu, SmoothingFunction().method4)', () => {
  it('one missing order: p_4 = (ln c / (2·5)) / d_4', () => {
    // hyp the cat sat on the mat | ref the cat is on the mat: c = r = 6, BP = exp(0) = 1
    // m/d = 5/6 (the ×2, cat, on, mat), 3/5 (the cat, on the, the mat), 1/4 (on the mat), 0/3 → ln 6 / 10 / 3
    const b = nltkSentenceBleu([words('the cat is on the mat')], words('the cat sat on the mat'));
    expect(b.matches).toEqual([5, 3, 1, 0]);
    expect(b.denominators).toEqual([6, 5, 4, 3]);
    expect(b.precisions.slice(0, 3)).toEqual([5 / 6, 3 / 5, 1 / 4]);
    expect(b.precisions[3]).toBeCloseTo(ln(6) / 30, 16);
    expect([b.hypLen, b.refLen, b.bp]).toEqual([6, 6, 1]);
    // (5/6 · 3/5 · 1/4 · ln6/30)^(1/4) = (ln 6 / 240)^(1/4)
    expect(b.score).toBeCloseTo((ln(6) / 240) ** 0.25, 15);
    expect(b.score).toBeCloseTo(0.293945703509473, 15);
  });

  it('two missing orders get 1/(2·5/ln c) and 1/(4·5/ln c); a short hypothesis pays exp(1 − r/c)', () => {
    // hyp a b c | ref a b d e f: c = 3, r = 5, BP = exp(−2/3); 2/3, 1/2, 0/1 → ln3/10, no 4-gram: 0/1 → ln3/20
    const b = nltkSentenceBleu([words('a b d e f')], words('a b c'));
    expect(b.denominators).toEqual([3, 2, 1, 1]);
    expect(b.bp).toBe(Math.exp(-2 / 3));
    expect(b.precisions[2]).toBeCloseTo(ln(3) / 10, 16);
    expect(b.precisions[3]).toBeCloseTo(ln(3) / 20, 16);
    expect(b.score).toBeCloseTo(Math.exp(-2 / 3) * (ln(3) ** 2 / 600) ** 0.25, 15);
    expect(b.score).toBeCloseTo(0.10873134470594509, 15);
  });

  it('clips repeated n-grams by the reference count; a longer hypothesis has BP 1', () => {
    // hyp a a a a | ref a a: 2/4, 1/3, 0/2 → (ln4/10)/2, 0/1 → ln4/20: ((ln 4)² / 2400)^(1/4)
    const b = nltkSentenceBleu([words('a a')], words('a a a a'));
    expect(b.matches).toEqual([2, 1, 0, 0]);
    expect(b.denominators).toEqual([4, 3, 2, 1]);
    expect(b.bp).toBe(1);
    expect(b.score).toBeCloseTo((ln(4) ** 2 / 2400) ** 0.25, 15);
  });

  it('a one-token hypothesis is not smoothed: its zero orders drop out and BLEU is the brevity penalty', () => {
    expect(diffuseqBleu('whale', 'whale')).toBe(1);
    expect(diffuseqBleu('whale', 'the whale')).toBe(Math.exp(-1));
    const b = nltkSentenceBleu([['the', 'whale']], ['whale']);
    expect(b.precisions).toEqual([1, 0, 0, 0]);
  });

  it('is 0 without a unigram match, for an empty hypothesis and for an empty reference', () => {
    expect(diffuseqBleu('x y z', 'a b c')).toBe(0);
    expect(diffuseqBleu('', 'a b')).toBe(0);
    expect(diffuseqBleu('a b', '')).toBe(0);
    expect(diffuseqBleu('   ', '\t')).toBe(0);
    expect(nltkSentenceBleu([['a']], []).bp).toBe(0);
  });

  it('identical texts score 1 from four tokens on; shorter ones are smoothed below 1', () => {
    expect(diffuseqBleu('call me ishmael some years ago', 'call me ishmael some years ago')).toBe(1);
    expect(diffuseqBleu('call me ishmael some', 'call me ishmael some')).toBe(1);
    // three tokens have no 4-gram: 1, 1, 1, 0/1 → ln3/10, so BLEU = (ln 3 / 10)^(1/4) ≈ 0.576
    expect(diffuseqBleu('call me ishmael', 'call me ishmael')).toBeCloseTo((ln(3) / 10) ** 0.25, 15);
    expect(diffuseqBleu('call me', 'call me')).toBeCloseTo((ln(2) ** 2 / 200) ** 0.25, 15);
  });

  it('several references: clip by the largest count, closest length with the shorter on a tie', () => {
    // |hyp| = 4, references of 3 and 5 tokens are equally close: r = 3 < c, so BP = 1 (r = 5 would give exp(−1/4))
    const b = nltkSentenceBleu([words('a b c'), words('a b c d e')], words('a b c d'));
    expect(b.refLen).toBe(3);
    expect(b.score).toBe(1);
    expect(() => nltkSentenceBleu([], ['a'])).toThrow(/nltkSentenceBleu: references.*at least one reference/);
  });

  it('tokens are Python str.split(): whitespace runs only, case and punctuation kept', () => {
    expect(diffuseqBleu('  the\tcat sat \n on the mat\u0085', 'the cat is on the mat')).toBeCloseTo(
      (ln(6) / 240) ** 0.25,
      15,
    );
    // The, Cat no longer match: 3/6, 2/5, 1/4, ln6/30 → (ln 6 / 600)^(1/4)
    expect(diffuseqBleu('The Cat sat on the mat', 'the cat is on the mat')).toBeCloseTo((ln(6) / 600) ** 0.25, 15);
    expect(diffuseqBleu('on the mat.', 'on the mat')).toBeLessThan(diffuseqBleu('on the mat', 'on the mat'));
  });

  it('is not symmetric: DiffuSeq scores the decoded text as the hypothesis', () => {
    // hyp a b d e f | ref a b c: c = 5 > r = 3, BP = 1; 2/5, 1/4, 0/3 → ln5/10/3, 0/2 → ln5/20/2
    expect(diffuseqBleu('a b d e f', 'a b c')).toBeCloseTo((ln(5) ** 2 / 12000) ** 0.25, 15);
    expect(diffuseqBleu('a b c', 'a b d e f')).toBeCloseTo(0.10873134470594509, 15);
  });

  it('differs from sacreBLEU sentence BLEU on the same pair', () => {
    const nltk = diffuseqBleu('the cat sat on the mat', 'the cat is on the mat');
    const sacre = sentenceBleu('the cat sat on the mat', 'the cat is on the mat').score / 100;
    expect(Math.abs(nltk - sacre)).toBeGreaterThan(0.05);
  });

  it('mean BLEU is numpy.mean over aligned lines; misaligned or empty inputs are named errors', () => {
    const hyps = ['whale', 'a b c', 'x'];
    const refs = ['the whale', 'a b d e f', 'y'];
    expect(diffuseqMeanBleu(hyps, refs)).toBeCloseTo((Math.exp(-1) + 0.10873134470594509 + 0) / 3, 15);
    expect(() => diffuseqMeanBleu(hyps, refs.slice(1))).toThrow(/diffuseqMeanBleu: references.*3 lines.*got 2 lines/);
    expect(() => diffuseqMeanBleu([], [])).toThrow(/diffuseqMeanBleu: hypotheses.*at least one line/);
  });
});
