import { describe, expect, it } from 'vitest';
import { chiSquareTest, gammaQ, logGamma } from './chi-square.ts';

describe('chi-square goodness of fit', () => {
  it('logGamma matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 10); // ln 100!
  });

  it('gammaQ matches closed forms: Q(1, y) = e^−y, Q(2, y) = e^−y (1 + y), Q(1/2, y) = erfc(√y)', () => {
    for (const y of [0.1, 1, 3, 10, 40]) {
      expect(gammaQ(1, y)).toBeCloseTo(Math.exp(-y), 14);
      expect(gammaQ(2, y) / (Math.exp(-y) * (1 + y))).toBeCloseTo(1, 12);
    }
    expect(gammaQ(0.5, 0.5 * 10.827566170662733)).toBeCloseTo(0.001, 9); // chi2(1) 0.999 quantile
  });

  it('p-values at the tabulated 0.999 quantiles are 0.001', () => {
    expect(gammaQ(5, 29.588298445074418 / 2)).toBeCloseTo(0.001, 9); // df = 10
    expect(gammaQ(2, 18.46682695290317 / 2)).toBeCloseTo(0.001, 9); // df = 4
  });

  it('statistic, df and impossible counts', () => {
    const r = chiSquareTest([30, 50, 20, 0], [0.3, 0.5, 0.2, 0]);
    expect(r).toEqual({ statistic: 0, df: 2, pValue: 1, impossible: 0 });
    const bad = chiSquareTest([10, 90, 0, 3], [1, 1, 1, 0]);
    expect(bad.impossible).toBe(3);
    expect(bad.df).toBe(2);
    expect(bad.pValue).toBeLessThan(1e-10);
  });
});
