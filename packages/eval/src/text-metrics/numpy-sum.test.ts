import { describe, expect, it } from 'vitest';
import { numpyMean, numpySum } from './numpy-sum.ts';

// 1e16 has an ulp of 2, so adding 1.0 to it is a tie that rounds to even: each order of additions leaves its own
// trace. Expected values are numpy 2.4.6's np.sum / np.mean of the same lists (printed as np.sum(a) − 1e16).
const ones = (n: number): number[] => Array.from({ length: n }, () => 1);

describe('numpySum (np.sum pairwise order)', () => {
  it('adds fewer than 8 values left to right', () => {
    expect(numpySum([1e16, 1, 1]) - 1e16).toBe(0);
    expect(numpySum([])).toBe(0);
  });

  it('uses eight running sums from 8 to 128 values', () => {
    expect(numpySum([1e16, ...ones(9)]) - 1e16).toBe(8);
    expect(numpySum([1, 1, 1, 1e16, ...ones(12)]) - 1e16).toBe(14);
    // left to right gives another value
    expect([1, 1, 1, 1e16, ...ones(12)].reduce((a, b) => a + b, 0) - 1e16).toBe(4);
  });

  it('splits more than 128 values in two halves of whole blocks', () => {
    const a = [1e16, ...ones(199)];
    expect(numpySum(a) - 1e16).toBe(188);
    expect(a.reduce((s, x) => s + x, 0) - 1e16).toBe(0);
    expect(numpySum([...ones(100), 1e16, ...ones(99)]) - 1e16).toBe(186);
  });

  it('mean is the pairwise sum over n', () => {
    expect(numpyMean([0.1, 0.2, 0.3])).toBe(0.20000000000000004);
    expect(numpyMean(Array.from({ length: 10 }, () => 0.1))).toBe(0.1);
  });
});
