import { describe, expect, it } from 'vitest';
import { staggeredScoreAt, transpTransitionAt } from './absorbing-ops.ts';

describe('absorbing ops with the mask at any column', () => {
  it('staggered score scales by e^Δ and moves (1 − e^Δ)·Σscore onto the mask column', () => {
    const score = Float64Array.from([1, 2, 3, 4]); // one position, V = 4, mask at column 1
    const d = 0.3, e = Math.exp(d);
    const got = staggeredScoreAt(score, [d], 1, 1, 1);
    expect(Array.from(got)).toEqual([e, 2 * e + (1 - e) * 10, 3 * e, 4 * e]);
  });
  it('transp transition: e^{−Δ}·one_hot(x), plus 1 − e^{−Δ} everywhere on mask rows', () => {
    const d = 0.7, e = Math.exp(-d);
    const got = transpTransitionAt(Int32Array.from([2, 1]), [d], 1, 2, 3, 1);
    expect(Array.from(got.subarray(0, 3))).toEqual([0, 0, e]);
    expect(Array.from(got.subarray(3, 6))).toEqual([1 - e, e + (1 - e), 1 - e]);
  });
});
