import { describe, expect, it } from 'vitest';
import { Rng, type Nd } from '@dlm/core';
import { absorbingGraph } from '@dlm/processes';
import { loglinear } from '@dlm/schedules';
import { seddAnalyticStep } from './analytic.ts';
import { trueScoreModel } from './testing/true-score.ts';

describe('SEDD analytic (Tweedie) step', () => {
  const D = 4;
  const graph = absorbingGraph({ dim: D });
  const noise = loglinear({ eps: 1e-3 });
  const p0 = [0.5, 0.3, 0.2];
  const x: Nd<Int32Array> = { data: Int32Array.from([3, 1, 3, 2]), shape: [2, 2] };

  it('with the exact score, probs ∝ the exact posterior p(x_s | x_t = mask); unmasked tokens stay', () => {
    const t = 0.6,
      dt = 0.2;
    const r = seddAnalyticStep(
      { graph, noise, model: trueScoreModel(graph, p0) },
      x,
      [t, t],
      dt,
      Rng.seeded(2).uniforms(16),
    );
    expect(r.delta![0]).toBeCloseTo(noise.totalNoise(t) - noise.totalNoise(t - dt), 15);
    expect(r.nextSigma![0]).toBe(noise.totalNoise(t - dt));
    // loglinear: move chance = (1 − eps)t, so P(still mask at s | mask at t) = s/t and P(y) = p0(y)(1 − s/t)
    const row = [...r.probs.data.slice(0, D)];
    const z = row.reduce((a, b) => a + b, 0);
    const s = t - dt;
    [p0[0]! * (1 - s / t), p0[1]! * (1 - s / t), p0[2]! * (1 - s / t), s / t].forEach((want, v) =>
      expect(row[v]! / z).toBeCloseTo(want, 12),
    );
    expect([...r.probs.data.slice(D, 2 * D)].map((v) => v > 0)).toEqual([false, true, false, false]);
    expect(r.xNext.data[1]).toBe(1);
    expect(r.xNext.data[3]).toBe(2);
  });
});
