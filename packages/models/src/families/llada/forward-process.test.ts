import { describe, expect, it } from 'vitest';
import { Rng, torchLinspace } from '@dlm/core';
import { lladaForwardProcess, rngLikelihoodDraws, roundHalfEven, stratifiedMaskCounts } from './forward-process.ts';

describe('LLaDA likelihood forward process', () => {
  it('rounds half to even like torch.round', () => {
    expect([0.5, 1.5, 2.5, -0.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 0, 2, 3]);
  });

  it('linspace hits both ends exactly', () => {
    expect(Array.from(torchLinspace(3, 7.5, 4))).toEqual([3, 4.5, 6, 7.5]);
  });

  it('stratified counts cover 1..target_len evenly and wrap', () => {
    expect(Array.from(stratifiedMaskCounts(4, 3, 6))).toEqual([4, 6, 2]);
    // b = target_len: every count 1..n exactly once, whatever k
    for (let k = 1; k <= 5; k++) expect(Array.from(stratifiedMaskCounts(k, 5, 5)).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('masks exactly n_i answer positions per row, never the prompt', () => {
    const l = 9,
      P = 3,
      b = 4;
    const batch = { data: Int32Array.from({ length: b * l }, (_, i) => i % 7), shape: [b, l] };
    const r = lladaForwardProcess(batch, P, 99, rngLikelihoodDraws(Rng.seeded(2)));
    for (let i = 0; i < b; i++) {
      const row = Array.from(r.masked.data.subarray(i * l, (i + 1) * l));
      expect(row.slice(0, P)).toEqual([0, 0, 0]);
      const n = row.reduce((a, v) => a + v, 0);
      expect(r.pMask.data[i * l]).toBeCloseTo(n / (l - P), 15);
      row.forEach((m, j) => expect(r.noisy.data[i * l + j]).toBe(m ? 99 : batch.data[i * l + j]));
    }
    expect(() => lladaForwardProcess(batch, 9, 99, rngLikelihoodDraws(Rng.seeded(2)))).toThrow(/promptLength/);
  });
});
