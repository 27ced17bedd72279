import { describe, expect, it } from 'vitest';
import { ConfigError, type Nd } from '@dlm/core';
import { uniformGraph } from './uniform.ts';

const ids = (a: number[]): Nd<Int32Array> => ({ data: Int32Array.from(a), shape: [1, a.length] });
const g = uniformGraph({ dim: 4 });

describe('uniform graph (SEDD Uniform)', () => {
  it('rate and transition by hand', () => {
    expect([...g.rate(ids([2])).data]).toEqual([0.25, 0.25, -0.75, 0.25]);
    expect([...g.transpRate(ids([2])).data]).toEqual([0.25, 0.25, -0.75, 0.25]);
    // σ = ln 2: off-diagonal (1 − 1/2)/4 = 0.125, diagonal 1 − 3·0.125
    expect([...g.transition(ids([1]), [Math.LN2])!.data]).toEqual([0.125, 0.625, 0.125, 0.125]);
    expect([...g.transpTransition(ids([1]), [Math.LN2]).data]).toEqual([0.125, 0.625, 0.125, 0.125]);
  });

  it('staggered score: ((e − 1)/(D·e))·Σ s + s/e with e = e^{−dσ}; a constant score is a fixed point', () => {
    expect([...g.staggeredScore({ data: Float64Array.from([1, 2, 3, 4]), shape: [1, 1, 4] }, [Math.LN2]).data]).toEqual(
      [-0.5, 1.5, 3.5, 5.5],
    );
    for (const v of g.staggeredScore({ data: new Float64Array(4).fill(1), shape: [1, 1, 4] }, [0.37]).data)
      expect(v).toBeCloseTo(1, 14);
  });

  it('sample_transition takes the randint draw where it moves; the draws are required', () => {
    expect([
      ...g.sampleTransition(ids([0, 1, 2]), [Math.LN2], { uniform: [0.1, 0.9, 0.2], randint: [3, 3, 2] }).data,
    ]).toEqual([3, 1, 2]);
    expect(() => g.sampleTransition(ids([0]), [1], { uniform: [0.1] })).toThrow(
      /uniform.sampleTransition: draws.randint.*is missing/,
    );
    expect(() => g.sampleTransition(ids([0]), [1], { uniform: [0.1], randint: [4] })).toThrow(ConfigError);
    expect([...g.sampleLimit([1, 3], [0, 3, 1]).data]).toEqual([0, 3, 1]);
    expect(() => g.sampleLimit([1, 3])).toThrow(/uniform.sampleLimit: randint/);
  });

  it('score entropy by hand (x ≠ x0 and x = x0)', () => {
    // σ = ln 2: E = 1, ratio = 1 − 4/5 = 0.2; zero log score
    const s = { data: new Float64Array(8), shape: [1, 2, 4] };
    const v = g.scoreEntropy(s, [Math.LN2], ids([0, 1]), ids([2, 1])).data;
    expect(v[0]).toBeCloseTo(0.75 + ((Math.log(5) - 1) / 0.2 - 2) / 4, 14); // pos = 1 − 1/4, neg = 0
    expect(v[1]).toBeCloseTo(0.75 + 0.75 * 0.2 * (Math.log(0.2) - 1), 14); // const = (D−1)/D·ratio·(ln ratio − 1)
  });
});
