import { describe, expect, it } from 'vitest';
import { pyFsum } from './python-fsum.ts';

// Expected values are what CPython 3.11's math.fsum returns for the same inputs.
describe('pyFsum (math.fsum)', () => {
  it('rounds the exact sum once, where a left-to-right sum drifts', () => {
    const tenths = Array.from({ length: 10 }, () => 0.1);
    expect(tenths.reduce((a, b) => a + b, 0)).toBe(0.9999999999999999);
    expect(pyFsum(tenths)).toBe(1);
    expect(pyFsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50])).toBe(1e-100);
  });

  it('breaks a tie to even unless a smaller partial pushes past it', () => {
    expect(pyFsum([1.0, 2 ** -53])).toBe(1); // exactly half an ulp above 1: stays at the even 1
    expect(pyFsum([1.0, 2 ** -53, -(2 ** -106)])).toBe(1); // below the tie
    expect(1.0 + 2 ** -53 + 2 ** -106).toBe(1);
    expect(pyFsum([1.0, 2 ** -53, 2 ** -106])).toBe(1.0000000000000002); // above the tie: rounds up
  });

  it('sums nothing to 0 and one value to itself', () => {
    expect(pyFsum([])).toBe(0);
    expect(pyFsum([-0.25 * Math.log(3)])).toBe(-0.25 * Math.log(3));
  });
});
