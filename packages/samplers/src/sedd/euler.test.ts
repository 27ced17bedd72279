import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, ShapeError, type Nd } from '@dlm/core';
import { absorbingGraph, uniformGraph } from '@dlm/processes';
import { geometric, loglinear } from '@dlm/schedules';
import { seddEulerStep } from './euler.ts';
import { trueScoreModel } from './testing/true-score.ts';

const D = 5;
const x: Nd<Int32Array> = { data: Int32Array.from([4, 1, 4, 0, 4, 2]), shape: [2, 3] };
const u = Rng.seeded(1).uniforms(2 * 3 * D);

describe('SEDD Euler step', () => {
  for (const [name, graph, noise] of [
    ['absorbing', absorbingGraph({ dim: D }), loglinear({ eps: 1e-3 })],
    ['uniform', uniformGraph({ dim: D }), geometric({ sigma_min: 1e-4, sigma_max: 20 })],
  ] as const) {
    it(`${name}: probs = one_hot(x) + dt·dσ·reverse_rate rows sum to 1; σ, rate from the schedule`, () => {
      const model = trueScoreModel(graph, [0.1, 0.2, 0.3, 0.4, 0]);
      const r = seddEulerStep({ graph, noise, model }, x, [0.6, 0.3], 0.01, u);
      expect(r.sigma[0]).toBe(noise.totalNoise(0.6));
      expect(r.rate![1]).toBe(noise.rate(0.3));
      for (let p = 0; p < 6; p++)
        expect(r.probs.data.slice(p * D, p * D + D).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 13);
      expect(r.nfe).toBe(1);
      if (name === 'absorbing') {
        // unmasked tokens have no outgoing reverse rate: they are kept
        for (const p of [1, 3, 5]) {
          expect([...r.probs.data.slice(p * D, p * D + D)]).toEqual(
            [0, 1, 2, 3, 4].map((v) => (v === x.data[p] ? 1 : 0)),
          );
          expect(r.xNext.data[p]).toBe(x.data[p]);
        }
      }
    });
  }

  it('refuses dt ≤ 0, t outside [0, 1], bad ids and a model output of the wrong size', () => {
    const graph = absorbingGraph({ dim: D });
    const ctx = { graph, noise: loglinear(), model: trueScoreModel(graph, [0.5, 0.5]) };
    expect(() => seddEulerStep(ctx, x, [0.5, 0.5], 0, u)).toThrow(ConfigError);
    expect(() => seddEulerStep(ctx, x, [0.5, 0.5], -0.1, u)).toThrow(/seddEulerStep: dt/);
    expect(() => seddEulerStep(ctx, x, [0.5, 1.5], 0.1, u)).toThrow(/seddEulerStep: t/);
    expect(() =>
      seddEulerStep(ctx, { data: Int32Array.from([5, 0, 0, 0, 0, 0]), shape: [2, 3] }, [0.5, 0.5], 0.1, u),
    ).toThrow(/seddEulerStep: x.*\[0, 5\)/);
    expect(() => seddEulerStep({ ...ctx, model: () => new Float64Array(3) }, x, [0.5, 0.5], 0.1, u)).toThrow(
      ShapeError,
    );
  });
});
