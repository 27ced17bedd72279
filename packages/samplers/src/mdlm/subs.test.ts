import { describe, expect, it } from 'vitest';
import { subsLogProbsHost } from './subs.ts';
import { MASK, V, x } from './toy-backbone.ts';

describe('MDLM host SUBS', () => {
  it('masked rows sum to one without the mask; unmasked rows are one-hot', () => {
    const lp = subsLogProbsHost(new Float64Array(2 * 3 * V).fill(0.5), x, MASK, V);
    for (let p = 0; p < 6; p++) {
      const row = Array.from(lp.subarray(p * V, (p + 1) * V)).map(Math.exp);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
      expect(row[MASK]).toBe(0);
      if (x.data[p] !== MASK) expect(row[x.data[p]!]).toBe(1);
    }
  });
});
