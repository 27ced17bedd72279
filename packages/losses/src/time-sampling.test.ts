import { describe, expect, it } from 'vitest';
import { Rng } from '@dlm/core';
import { discretizeTimes, maskTokens, sampleTimes, sampleTimesFromRng } from './time-sampling.ts';

describe('time sampling and masking', () => {
  it('antithetic sampling puts one t in each of the B strata of [eps, 1)', () => {
    const B = 8,
      eps = 1e-3;
    const t = sampleTimesFromRng(Rng.seeded(3), B, { antithetic: true, eps });
    for (let i = 0; i < B; i++) {
      const e = (t[i]! - eps) / (1 - eps);
      expect(e).toBeGreaterThanOrEqual(i / B - 1e-12);
      expect(e).toBeLessThan((i + 1) / B);
    }
    expect(Array.from(sampleTimes([0.5, 0.5], { antithetic: false, eps: 0 }))).toEqual([0.5, 0.5]);
    expect(Array.from(sampleTimes([0.5, 0.5], { antithetic: true, eps: 0 }))).toEqual([0.25, 0.75]);
  });

  it('discrete time lands on {1/T, …, 1}', () => {
    const t = discretizeTimes([0.0005, 0.4999, 0.999], 10);
    expect(Array.from(t).map((x) => Math.round(x * 10))).toEqual([1, 5, 10]);
  });

  it('masks where u < p, respecting maskable', () => {
    const x0 = { data: Int32Array.from([1, 2, 3, 4]), shape: [2, 2] };
    const r = maskTokens(x0, [0.5, 1], [0.4, 0.6, 0.99, 0.2], 9, [1, 1, 0, 1]);
    expect(Array.from(r.xt.data)).toEqual([9, 2, 3, 9]);
    expect(Array.from(r.masked.data)).toEqual([1, 0, 0, 1]);
    expect(() => maskTokens(x0, [0.5], [0, 0, 0, 0], 9)).toThrow(/p/);
  });
});
