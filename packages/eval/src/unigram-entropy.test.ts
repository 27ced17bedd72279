import { describe, expect, it } from 'vitest';
import { unigramEntropy } from './unigram-entropy.ts';

describe('unigramEntropy', () => {
  it('is ln k for k equally frequent ids, 0 for one id, and skips excluded ids', () => {
    expect(unigramEntropy([1, 2, 3, 4, 1, 2, 3, 4])).toBeCloseTo(Math.log(4), 12);
    expect(unigramEntropy([7, 7, 7])).toBe(0);
    expect(unigramEntropy([5, 9, 9, 9, 5], [9])).toBe(0);
    expect(unigramEntropy([9, 9], [9])).toBeNaN();
  });

  it('weights ids by their counts: p = (3/4, 1/4)', () => {
    const h = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    expect(unigramEntropy(Int32Array.from([0, 0, 0, 1]))).toBeCloseTo(h, 12);
    expect(h).toBeCloseTo(0.5623351446, 9);
  });
});
