import { describe, expect, it } from 'vitest';
import { GaussianEmbeddingProcess } from './gaussian-process.ts';
import { pMeanVariance } from './p-mean-variance.ts';

const shape = [2, 2, 2];
const nd = (f: (i: number) => number) => ({ data: Float64Array.from({ length: 8 }, (_, i) => f(i)), shape });

describe('pMeanVariance', () => {
  const p = GaussianEmbeddingProcess.named('sqrt', 30);
  const p64 = GaussianEmbeddingProcess.named('sqrt', 30, { coefDtype: 'float64' });
  const tb = p.schedule.tables;
  const x = nd((i) => Math.cos(i));
  const out = nd((i) => 1.5 * Math.sin(3 * i));

  it('x0 prediction: mean = posterior mean of pred_x0; clip clamps to [−1, 1]', () => {
    const t = [0, 17];
    const r = pMeanVariance(p, { x, t, modelOutput: out, clipDenoised: true });
    expect(Array.from(r.predXstart.data)).toEqual(Array.from(out.data, (v) => Math.min(1, Math.max(-1, v))));
    const post = p.qPosteriorMeanVariance(r.predXstart, x, t);
    expect(Array.from(r.mean.data)).toEqual(Array.from(post.mean.data));
    const unclipped = pMeanVariance(p, { x, t, modelOutput: out });
    expect(Array.from(unclipped.predXstart.data)).toEqual(Array.from(out.data));
  });

  it('fixed_large uses [posterior_variance_1, β_1, …]; fixed_small the posterior variance', () => {
    const t = [0, 17];
    const large = pMeanVariance(p, { x, t, modelOutput: out, varianceType: 'fixed_large' });
    expect(large.variance.data[0]).toBe(Math.fround(tb.posteriorVariance[1]!));
    expect(large.variance.data[4]).toBe(Math.fround(tb.betas[17]!));
    expect(large.logVariance.data[4]).toBe(Math.fround(Math.log(tb.betas[17]!)));
    const small = pMeanVariance(p, { x, t, modelOutput: out, varianceType: 'fixed_small' });
    expect(small.variance.data[0]).toBe(0);
    expect(small.logVariance.data[0]).toBe(Math.fround(tb.posteriorLogVarianceClipped[1]!));
    expect(small.variance.data[4]).toBe(Math.fround(tb.posteriorVariance[17]!));
  });

  it('per-position t [B, L] equal within each row gives the per-row result; ε-prediction per position', () => {
    for (const parameterization of ['x0', 'eps'] as const) {
      for (const varianceType of ['fixed_large', 'fixed_small'] as const) {
        const row = pMeanVariance(p, { x, t: [2, 17], modelOutput: out, parameterization, varianceType });
        const pos = pMeanVariance(p, { x, t: [2, 2, 17, 17], modelOutput: out, parameterization, varianceType });
        for (const k of ['mean', 'variance', 'logVariance', 'predXstart'] as const)
          expect(Array.from(pos[k].data)).toEqual(Array.from(row[k].data));
      }
    }
    // Different times within a row: position (0, 1) at t = 9 reads exactly what a row at t = 9 reads.
    const mixed = pMeanVariance(p, { x, t: [2, 9, 17, 0], modelOutput: out, parameterization: 'eps' });
    const at9 = pMeanVariance(p, { x, t: [9, 9], modelOutput: out, parameterization: 'eps' });
    for (const k of ['mean', 'variance', 'predXstart'] as const)
      expect(Array.from(mixed[k].data.subarray(2, 4))).toEqual(Array.from(at9[k].data.subarray(2, 4)));
  });

  it('ε prediction recovers x0 from x_t built with that ε', () => {
    const x0 = nd((i) => 0.3 * i - 1);
    const eps = nd((i) => Math.sin(i + 2));
    const t = [4, 25];
    const xt = p64.qSample(x0, t, eps);
    const r = pMeanVariance(p64, { x: xt, t, modelOutput: eps, parameterization: 'eps' });
    for (let i = 0; i < 8; i++) expect(r.predXstart.data[i]).toBeCloseTo(x0.data[i]!, 12);
  });

  it('denoise runs before clipping', () => {
    const seen: number[] = [];
    const r = pMeanVariance(p, {
      x,
      t: [3, 3],
      modelOutput: out,
      clipDenoised: true,
      denoise: (v) => {
        seen.push(...v.data);
        return { data: v.data.map((a) => 3 * a), shape: v.shape };
      },
    });
    expect(seen).toEqual(Array.from(out.data));
    expect(Array.from(r.predXstart.data)).toEqual(Array.from(out.data, (v) => Math.min(1, Math.max(-1, 3 * v))));
  });

  it('rejects unknown variance types, shape mismatches and bad timesteps', () => {
    expect(() => pMeanVariance(p, { x, t: [0, 1], modelOutput: out, varianceType: 'learned' as never })).toThrow(
      /gaussian\.pMeanVariance: varianceType.*fixed_large, fixed_small/,
    );
    expect(() =>
      pMeanVariance(p, { x, t: [0, 1], modelOutput: { data: new Float64Array(4), shape: [2, 2, 1] } }),
    ).toThrow(/x and modelOutput/);
    expect(() => pMeanVariance(p, { x, t: [0, 30], modelOutput: out })).toThrow(/gaussian\.pMeanVariance: t\[1\]/);
  });
});
