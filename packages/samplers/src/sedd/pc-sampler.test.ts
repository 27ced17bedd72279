import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, chiSquareTest, torchLinspace, type Nd } from '@dlm/core';
import { absorbingGraph, uniformGraph } from '@dlm/processes';
import { geometric, loglinear } from '@dlm/schedules';
import { seddPcSample, seddPcSampleRng } from './pc-sampler.ts';
import { trueScoreModel } from './testing/true-score.ts';
import type { SeddScoreModel } from './types.ts';

const D = 5;
const absorbing = absorbingGraph({ dim: D });
const uniform = uniformGraph({ dim: D });
const pAbs = [0.1, 0.2, 0.3, 0.4, 0];
const pUni = [0.05, 0.15, 0.2, 0.25, 0.35];

/** Wraps a model to record the x it sees per call. */
function recording(model: SeddScoreModel) {
  const seen: Int32Array[] = [];
  return {
    seen,
    model: ((x: Nd<Int32Array>, s: Float64Array) => (
      seen.push(Int32Array.from(x.data)),
      model(x, s)
    )) as SeddScoreModel,
  };
}

describe('SEDD pc sampler', () => {
  it('uses torch.linspace(1, eps, steps + 1) as torch computes it on CPU', () => {
    const g = torchLinspace(1, 1e-5, 4);
    const step = (1e-5 - 1) / 3;
    expect([...g]).toEqual([1, 1 + step, 1e-5 - step, 1e-5]);
  });

  for (const [name, graph, noise, p0, predictor] of [
    ['absorbing + analytic', absorbing, loglinear({ eps: 1e-3 }), pAbs, 'analytic'],
    ['uniform + analytic', uniform, geometric({ sigma_min: 1e-4, sigma_max: 20 }), pUni, 'analytic'],
  ] as const) {
    it(`${name}: with the exact score the samples follow the data distribution (chi-square, p > 0.001)`, () => {
      const r = seddPcSampleRng(
        { graph, noise, model: trueScoreModel(graph, p0) },
        { batch: [2000, 2], predictor, steps: 4 },
        Rng.seeded(21),
      );
      expect(r.nfe).toBe(5);
      const counts = new Array(D).fill(0);
      for (const v of r.x.data) counts[v]++;
      const fit = chiSquareTest(counts, p0);
      expect(fit.impossible).toBe(0);
      expect(fit.pValue).toBeGreaterThan(0.001);
      expect(
        chiSquareTest(
          counts,
          [0.2, 0.2, 0.2, 0.2, 0.2].map((v, k) => (p0[k] ? v : 0)),
        ).pValue,
      ).toBeLessThan(0.001); // control
    });
  }

  it('same seed → same samples; another seed → different; the absorbing sampler keeps committed tokens fixed', () => {
    const noise = loglinear();
    for (const predictor of ['euler', 'analytic']) {
      const { seen, model } = recording(trueScoreModel(absorbing, pAbs));
      const o = { batch: [8, 6] as const, predictor, steps: 6 };
      const a = seddPcSampleRng({ graph: absorbing, noise, model }, o, Rng.seeded(1));
      const b = seddPcSampleRng({ graph: absorbing, noise, model }, o, Rng.seeded(1));
      const c = seddPcSampleRng({ graph: absorbing, noise, model }, o, Rng.seeded(2));
      expect([...a.x.data]).toEqual([...b.x.data]);
      expect([...a.x.data]).not.toEqual([...c.x.data]);
      expect(a.x.data.every((v) => v !== 4)).toBe(true); // the denoiser removes every mask
      for (let k = 1; k < 7; k++)
        for (let p = 0; p < 48; p++) if (seen[k - 1]![p] !== 4) expect(seen[k]![p]).toBe(seen[k - 1]![p]);
    }
  });

  it('project (proj_fun) clamps positions before every model call', () => {
    const { seen, model } = recording(trueScoreModel(absorbing, pAbs));
    const project = (x: Nd<Int32Array>) => ({ data: x.data.map((v, p) => (p % 4 === 0 ? 2 : v)), shape: x.shape });
    const r = seddPcSampleRng(
      { graph: absorbing, noise: loglinear(), model },
      { batch: [3, 4], predictor: 'euler', steps: 3, project },
      Rng.seeded(5),
    );
    for (const x of seen) for (let p = 0; p < 12; p += 4) expect(x[p]).toBe(2);
    for (let p = 0; p < 12; p += 4) expect(r.x.data[p]).toBe(2);
  });

  it('replays explicit draws (uniform graph limit ids) and refuses bad options', () => {
    const ctx = { graph: uniform, noise: geometric(), model: trueScoreModel(uniform, pUni) };
    const r = seddPcSample(
      ctx,
      { batch: [1, 3], predictor: 'analytic', steps: 2, denoise: false },
      { limit: [4, 0, 2], uniforms: () => new Float64Array(15).fill(0.5) },
    );
    expect(r.calls[0]!.x.data).toEqual(Int32Array.from([4, 0, 2]));
    expect(r.nfe).toBe(2);
    expect(() =>
      seddPcSample(ctx, { batch: [1, 3], predictor: 'analytic', steps: 0 }, { limit: [0, 0, 0], uniforms: () => [] }),
    ).toThrow(ConfigError);
    expect(() =>
      seddPcSample(ctx, { batch: [1, 3], predictor: 'tweedie', steps: 2 }, { limit: [0, 0, 0], uniforms: () => [] }),
    ).toThrow(/euler, analytic/);
    expect(() =>
      seddPcSample(
        ctx,
        { batch: [1, 3], predictor: 'euler', steps: 2, eps: 1 },
        { limit: [0, 0, 0], uniforms: () => [] },
      ),
    ).toThrow(/seddPcSample: eps/);
    expect(() =>
      seddPcSample(ctx, { batch: [1, 3], predictor: 'euler', steps: 2 }, { limit: [0, 0, 0], uniforms: () => [0.5] }),
    ).toThrow(/uniforms for call 0/);
  });
});
