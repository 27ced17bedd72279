import { describe, expect, it } from 'vitest';
import { subsScore } from './score.ts';
import { subsLogProbsHost } from './subs.ts';

describe('SUBS score', () => {
  it('masked: p·k with mask column 1; unmasked: 1 at x, expm1(σ) at the mask, 0 elsewhere', () => {
    const V = 4,
      mask = 3,
      sigma = 0.8;
    const x = { data: Int32Array.from([mask, 2]), shape: [1, 2] };
    const lp = subsLogProbsHost(Float64Array.from([0.1, 0.5, -0.2, 9, 0, 0, 0, 0]), x, mask, V);
    const s = subsScore(lp, x, [sigma], mask);
    const k = 1 / Math.expm1(sigma);
    for (let v = 0; v < 3; v++) expect(s[v]).toBeCloseTo(Math.exp(lp[v]!) * k, 14);
    expect(s[mask]).toBe(1);
    expect(Array.from(s.subarray(4, 7))).toEqual([0, 0, 1]);
    expect(s[4 + mask]).toBeCloseTo(Math.expm1(sigma), 14);
  });
});
