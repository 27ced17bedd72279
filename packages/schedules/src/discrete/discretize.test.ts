import { describe, expect, it } from 'vitest';
import { betasForAlphaBar, betasForAlphaBarLeft, MAX_BETA, numpyLinspace } from './discretize.ts';

describe('linspace (numpy-exact)', () => {
  it('evaluates i·step + start and pins the endpoint', () => {
    expect(Array.from(numpyLinspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    // numpy.linspace(0.1, 0.2, 3) = [0.1, 0.15000000000000002, 0.2]
    expect(Array.from(numpyLinspace(0.1, 0.2, 3))).toEqual([0.1, 0.15000000000000002, 0.2]);
    expect(Array.from(numpyLinspace(3, 3, 3))).toEqual([3, 3, 3]);
    expect(Array.from(numpyLinspace(2, 5, 1))).toEqual([2]);
    expect(numpyLinspace(2, 5, 0).length).toBe(0);
  });
  it('rejects a bad count', () => {
    expect(() => numpyLinspace(0, 1, -1)).toThrow(/linspace: num/);
    expect(() => numpyLinspace(0, 1, 2.5)).toThrow(/non-negative integer/);
  });
});

describe('betas from ᾱ(s)', () => {
  it('β_i = 1 − ᾱ((i+1)/T)/ᾱ(i/T), capped at 0.999', () => {
    const b = betasForAlphaBar(4, (s) => 1 - s);
    expect(b[0]).toBeCloseTo(0.25, 15);
    expect(b[1]).toBeCloseTo(1 - 0.5 / 0.75, 15);
    expect(b[2]).toBeCloseTo(0.5, 15);
    expect(b[3]).toBe(MAX_BETA); // 1 − 0/0.25 = 1 → capped
  });
  it('the left variant starts with 1 − ᾱ(0) and has T values', () => {
    const b = betasForAlphaBarLeft(3, (s) => 0.9 - s / 2);
    expect(b.length).toBe(3);
    expect(b[0]).toBeCloseTo(0.1, 15);
    expect(b[1]).toBeCloseTo(1 - (0.9 - 1 / 6) / 0.9, 15);
    expect(b[2]).toBeCloseTo(1 - (0.9 - 1 / 3) / (0.9 - 1 / 6), 15);
  });
});
