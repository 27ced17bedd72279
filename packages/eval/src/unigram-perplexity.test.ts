import { describe, expect, it } from 'vitest';
import { unigramPerplexity } from './unigram-perplexity.ts';

describe('unigramPerplexity', () => {
  it('matches the closed form', () => {
    // train counts: 0→3, 1→1, 2→0; V = 3, α = 1: p = [4/7, 2/7, 1/7]
    const r = unigramPerplexity([0, 0, 0, 1], [0, 1, 2], 3);
    const nats = -(Math.log(4 / 7) + Math.log(2 / 7) + Math.log(1 / 7)) / 3;
    expect(r.natsPerToken).toBeCloseTo(nats, 14);
    expect(r.perplexity).toBeCloseTo(Math.exp(nats), 12);
  });
  it('uniform data gives perplexity V', () => {
    const toks = Array.from({ length: 4000 }, (_, i) => i % 8);
    expect(unigramPerplexity(toks, toks, 8).perplexity).toBeCloseTo(8, 6);
  });
  it('skips masked and excluded positions; names bad ids', () => {
    expect(unigramPerplexity([0, 1], [0, 1, 5], 2, { evalMask: [1, 1, 0] }).tokens).toBe(2);
    expect(unigramPerplexity([0, 1, 2], [0, 2], 3, { exclude: [2] }).tokens).toBe(1);
    expect(() => unigramPerplexity([0, 9], [0], 3)).toThrow(/train token.*\[0, 3\).*got 9/);
  });
});
