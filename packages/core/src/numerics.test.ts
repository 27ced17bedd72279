import { describe, expect, it } from 'vitest';
import { log1mexp, logExpm1, logsumexp, seddExpm1, softplus, logSigmoid, softmaxRows } from './numerics.ts';

describe('numerics', () => {
  it('logsumexp is exact on small input and finite at extremes', () => {
    expect(logsumexp([0, 0])).toBeCloseTo(Math.LN2, 15);
    expect(logsumexp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logsumexp([-1e6, -1e6 + 1])).toBeCloseTo(-1e6 + 1 + Math.log1p(Math.exp(-1)), 8);
    expect(logsumexp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logsumexp([])).toBe(-Infinity);
    expect(logsumexp([Infinity, 0])).toBe(Infinity);
  });

  it('log1mexp uses both branches accurately', () => {
    for (const x of [1e-20, 1e-8, 0.3, Math.LN2, 1, 30, 800]) {
      const ref = x < 1 ? Math.log(-Math.expm1(-x)) : Math.log1p(-Math.exp(-x));
      expect(log1mexp(x)).toBeCloseTo(ref, 12);
      expect(Number.isFinite(log1mexp(x)) || x > 700).toBe(true);
    }
    expect(log1mexp(1e-20)).toBeCloseTo(Math.log(1e-20), 10);
    expect(log1mexp(0)).toBe(-Infinity);
    expect(log1mexp(-1)).toBeNaN();
  });

  it('softplus and logSigmoid do not overflow', () => {
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(softplus(0)).toBeCloseTo(Math.LN2, 15);
    expect(logSigmoid(-1000)).toBe(-1000);
    expect(logSigmoid(1000)).toBe(-0);
  });

  it('seddExpm1 switches formula at 0.5 like the reference', () => {
    expect(seddExpm1(0.49)).toBe(Math.expm1(0.49));
    expect(seddExpm1(0.5)).toBe(Math.exp(0.5) - 1);
  });

  it('logExpm1 is stable at both ends', () => {
    expect(logExpm1(1e-30)).toBeCloseTo(Math.log(1e-30), 10);
    expect(logExpm1(100)).toBeCloseTo(100, 12);
    expect(logExpm1(1)).toBeCloseTo(Math.log(Math.E - 1), 15);
  });

  it('softmaxRows normalises each row', () => {
    const p = softmaxRows(Float64Array.from([0, 0, 1000, 1000, -1e6, 0]), 2);
    expect([...p]).toEqual([0.5, 0.5, 0.5, 0.5, 0, 1]);
  });
});
