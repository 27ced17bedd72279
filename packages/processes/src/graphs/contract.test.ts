// Contract over every graph (both registry entries, plus an absorbing graph whose mask is not the last
// column, as MDLM allows): Q and e^{σQ} agree with each other, sample_transition draws from the forward
// distribution (chi-square), reverse rates are rates, score entropy is ≥ 0 and 0 at the true ratio.
import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, ShapeError, chiSquareTest, type Nd } from '@dlm/core';
import { absorbingGraph } from './absorbing.ts';
import { graphs } from './registry.ts';
import type { Graph } from './types.ts';

const D = 5;
const cases: [string, Graph][] = [
  ['absorbing', graphs.get('absorbing')({ dim: D })],
  ['absorbing, mask at column 1', absorbingGraph({ dim: D, maskIndex: 1 })],
  ['uniform', graphs.get('uniform')({ dim: D })],
];
const ids = (a: number[]): Nd<Int32Array> => ({ data: Int32Array.from(a), shape: [1, a.length] });
const allStates = ids(Array.from({ length: D }, (_, v) => v));

describe.each(cases)('graph contract: %s', (_label, g) => {
  const sigma = [0.7];

  it('transp_transition(i)[j] = forwardDistribution(j)[i] and transition (where defined) = forwardDistribution', () => {
    const fwd = g.forwardDistribution(allStates, sigma).data; // row j: p(x_t = · | x_0 = j)
    const tr = g.transpTransition(allStates, sigma).data;
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) expect(tr[i * D + j]).toBeCloseTo(fwd[j * D + i]!, 14);
    for (let j = 0; j < D; j++) expect(fwd.slice(j * D, j * D + D).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    const t = g.transition(allStates, sigma);
    if (g.name === 'absorbing') expect(t).toBeNull();
    else expect([...t!.data]).toEqual([...fwd]);
  });

  it('rate(i) = d/dσ forwardDistribution(i) at σ = 0, and transp_rate(i)[j] = rate(j)[i]', () => {
    const h = 1e-7;
    const fd0 = g.forwardDistribution(allStates, [0]).data;
    const fd1 = g.forwardDistribution(allStates, [h]).data;
    const rate = g.rate(allStates).data;
    const trate = g.transpRate(allStates).data;
    for (let k = 0; k < D * D; k++) expect((fd1[k]! - fd0[k]!) / h).toBeCloseTo(rate[k]!, 6);
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) expect(trate[i * D + j]).toBe(rate[j * D + i]);
  });

  it('sample_transition frequencies match the forward distribution (chi-square, p > 0.001)', () => {
    const N = 20000;
    for (const start of [0, D - 2]) {
      const i = ids(new Array(N).fill(start));
      const x = g.sampleTransitionRng(i, [0.9], Rng.seeded(11 + start));
      const counts = new Array(D).fill(0);
      for (const v of x.data) counts[v]++;
      const p = [...g.forwardDistribution(ids([start]), [0.9]).data];
      const fit = chiSquareTest(counts, p);
      expect(fit.impossible).toBe(0);
      expect(fit.pValue).toBeGreaterThan(0.001);
      // control: the distribution at another σ is rejected
      expect(chiSquareTest(counts, [...g.forwardDistribution(ids([start]), [0.7]).data]).pValue).toBeLessThan(0.001);
    }
  });

  it('same seed → same draws; per-position σ is honoured', () => {
    const i = ids(new Array(200).fill(0));
    expect([...g.sampleTransitionRng(i, [1], Rng.seeded(4)).data]).toEqual([
      ...g.sampleTransitionRng(i, [1], Rng.seeded(4)).data,
    ]);
    // σ = 0 never moves, σ = 50 (move chance 1 − e^{−50} = 1 in float64) always moves (absorbing: to the mask)
    const sig = Float64Array.from({ length: 200 }, (_, p) => (p % 2 ? 50 : 0));
    const x = g.sampleTransitionRng(i, sig, Rng.seeded(5)).data;
    for (let p = 0; p < 200; p += 2) expect(x[p]).toBe(0);
    if (g.maskIndex !== null) for (let p = 1; p < 200; p += 2) expect(x[p]).toBe(g.maskIndex);
  });

  it('reverse rate rows sum to 0 with non-negative off-diagonal entries', () => {
    const rng = Rng.seeded(2);
    const score = { data: Float64Array.from({ length: D * D }, () => 0.1 + rng.uniform()), shape: [1, D, D] };
    const r = g.reverseRate(allStates, score).data;
    for (let p = 0; p < D; p++) {
      let s = 0;
      for (let v = 0; v < D; v++) {
        s += r[p * D + v]!;
        if (v !== p) expect(r[p * D + v]).toBeGreaterThanOrEqual(0);
      }
      expect(Math.abs(s)).toBeLessThan(1e-14);
    }
  });

  it('score entropy is ≥ 0, and 0 at the true ratios p_σ(y | x0)/p_σ(x | x0)', () => {
    const rng = Rng.seeded(3);
    const x0 = ids([0, 2, 3, 3, 0]); // clean tokens (never the mask)
    const sig = 0.8;
    const x = g.sampleLimitRng([1, 5], Rng.seeded(1));
    const xs = { data: Int32Array.from([x.data[0]!, 2, 1, 3, g.maskIndex ?? 0]), shape: [1, 5] };
    const random = { data: Float64Array.from({ length: 5 * D }, () => rng.uniform() * 4 - 2), shape: [1, 5, D] };
    for (const v of g.scoreEntropy(random, [sig], xs, x0).data) expect(v).toBeGreaterThanOrEqual(0);
    // the true log ratios, with log 0 as a finite −60 (e^{−60} is far below the tolerance)
    const fwd = g.forwardDistribution(x0, [sig]).data;
    const truth = new Float64Array(5 * D);
    for (let p = 0; p < 5; p++) {
      const px = fwd[p * D + xs.data[p]!]!;
      for (let v = 0; v < D; v++) truth[p * D + v] = fwd[p * D + v]! > 0 ? Math.log(fwd[p * D + v]! / px) : -60;
    }
    for (const v of g.scoreEntropy({ data: truth, shape: [1, 5, D] }, [sig], xs, x0).data)
      expect(Math.abs(v)).toBeLessThan(1e-12);
  });

  it('refuses ids outside [0, D) naming the argument, and shape mismatches naming both arguments', () => {
    expect(() => g.rate(ids([0, D]))).toThrow(ConfigError);
    expect(() => g.rate(ids([0, D]))).toThrow(new RegExp(`${g.name}\\.rate: i.*token ids in \\[0, ${D}\\)`));
    expect(() =>
      g.scoreEntropy({ data: new Float64Array(2 * D), shape: [1, 2, D] }, [1], ids([0, 1, 2]), ids([0, 1, 2])),
    ).toThrow(ShapeError);
    expect(() =>
      g.scoreEntropy({ data: new Float64Array(2 * D), shape: [1, 2, D] }, [1], ids([0, 1]), ids([0, 1, 2])),
    ).toThrow(/x and x0/);
    expect(() => g.reverseRate(ids([0, 1]), { data: new Float64Array(3 * D), shape: [1, 3, D] })).toThrow(
      /reverseRate: i and score/,
    );
    expect(() => g.transpTransition(ids([0, 1]), [1, 2, 3])).toThrow(/transpTransition: sigma/);
    expect(() => g.transpTransition(ids([0, 1]), [-1])).toThrow(/sigma.*finite values ≥ 0/);
  });
});

describe('graph registry', () => {
  it('lists the graphs and refuses a mask for the uniform graph', () => {
    expect(graphs.names()).toEqual(['absorbing', 'uniform']);
    expect(() => graphs.get('absorb')).toThrow(/absorbing, uniform/);
    expect(() => graphs.get('uniform')({ dim: 4, maskIndex: 3 })).toThrow(/uniformGraph: maskIndex/);
  });
});
