import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, type Nd } from '@dlm/core';
import { absorbingGraph } from './absorbing.ts';

const ids = (a: number[], shape = [1, a.length]): Nd<Int32Array> => ({ data: Int32Array.from(a), shape });
const g = absorbingGraph({ dim: 4 }); // tokens 0..2, mask 3

describe('absorbing graph (SEDD Absorbing, mask last by default)', () => {
  it('rate, transp_rate and transp_transition by hand', () => {
    expect([...g.rate(ids([1, 3])).data]).toEqual([0, -1, 0, 1, 0, 0, 0, 0]);
    expect([...g.transpRate(ids([1, 3])).data]).toEqual([0, -1, 0, 0, 1, 1, 1, 0]);
    expect([...g.transpTransition(ids([1, 3]), [Math.LN2]).data]).toEqual([0, 0.5, 0, 0, 0.5, 0.5, 0.5, 1]);
    expect(g.transition(ids([1]), [1])).toBeNull();
  });

  it('staggered score: s·e^{dσ}, then the mask column gains (1 − e^{dσ})·Σ s', () => {
    const s = { data: Float64Array.from([1, 2, 3, 4]), shape: [1, 1, 4] };
    expect([...g.staggeredScore(s, [Math.LN2]).data]).toEqual([2, 4, 6, 8 - 10]);
  });

  it('sample_transition moves exactly where u < 1 − e^{−σ}; sample_limit is all mask', () => {
    // σ = ln 2 → move chance 0.5
    expect([...g.sampleTransition(ids([0, 1, 2, 0]), [Math.LN2], { uniform: [0.49, 0.5, 0.51, 0] }).data]).toEqual([
      3, 1, 2, 3,
    ]);
    expect([...g.sampleLimit([2, 3]).data]).toEqual([3, 3, 3, 3, 3, 3]);
    expect(g.sampleLimitRng([1, 2], Rng.seeded(0)).shape).toEqual([1, 2]);
  });

  it('score entropy by hand: only masked positions count, Σ e^s leaves out the mask column', () => {
    // σ = ln 2 ≥ 0.5 → E = e^σ − 1 = 1, r = 1, const = r(ln r − 1) = −1
    const s = { data: Float64Array.from([0, Math.LN2, 0, 5, 9, 9, 9, 9]), shape: [1, 2, 4] };
    const v = g.scoreEntropy(s, [Math.LN2], ids([3, 1]), ids([1, 1])).data;
    expect(v[0]).toBeCloseTo(4 - Math.LN2 - 1, 14); // (1 + 2 + 1) − 1·ln 2 − 1
    expect(v[1]).toBe(0);
  });

  it('a mask at another column is the same graph with the columns permuted (MDLM layout)', () => {
    const m = absorbingGraph({ dim: 4, maskIndex: 0 });
    const perm = [3, 0, 1, 2]; // column c of the mask-0 graph ↔ column perm[c] of the mask-last graph
    const toLast = (c: number) => perm[c]!;
    const rng = Rng.seeded(7);
    const xs = [0, 1, 2, 3];
    const score = Float64Array.from({ length: 16 }, () => rng.uniform() + 0.1);
    const scoreLast = new Float64Array(16);
    for (let p = 0; p < 4; p++) for (let c = 0; c < 4; c++) scoreLast[p * 4 + toLast(c)] = score[p * 4 + c]!;
    const xm = ids(xs);
    const xl = ids(xs.map(toLast));
    const back = (a: Float64Array) =>
      Float64Array.from({ length: 16 }, (_, k) => a[Math.floor(k / 4) * 4 + toLast(k % 4)]!);
    expect([...m.transpTransition(xm, [0.4]).data]).toEqual([...back(g.transpTransition(xl, [0.4]).data)]);
    expect([...m.staggeredScore({ data: score, shape: [1, 4, 4] }, [0.3]).data]).toEqual([
      ...back(g.staggeredScore({ data: scoreLast, shape: [1, 4, 4] }, [0.3]).data),
    ]);
    expect([...m.reverseRate(xm, { data: score, shape: [1, 4, 4] }).data]).toEqual([
      ...back(g.reverseRate(xl, { data: scoreLast, shape: [1, 4, 4] }).data),
    ]);
    const x0 = [1, 2, 3, 1];
    expect([...m.scoreEntropy({ data: score.map(Math.log), shape: [1, 4, 4] }, [0.3], xm, ids(x0)).data]).toEqual([
      ...g.scoreEntropy({ data: scoreLast.map(Math.log), shape: [1, 4, 4] }, [0.3], xl, ids(x0.map(toLast))).data,
    ]);
  });

  it('refuses a bad dim or mask column', () => {
    expect(() => absorbingGraph({ dim: 1 })).toThrow(ConfigError);
    expect(() => absorbingGraph({ dim: 4, maskIndex: 4 })).toThrow(/absorbingGraph: maskIndex/);
  });
});
