import { describe, expect, it } from 'vitest';
import { GaussianEmbeddingProcess } from '@dlm/processes';
import { respaceGaussianProcess } from './respace.ts';

describe('respaceGaussianProcess', () => {
  const base = GaussianEmbeddingProcess.named('sqrt', 2000, { coefDtype: 'float64', rescaleTimesteps: true });
  const abBase = base.schedule.tables.alphasCumprod;

  it('keeps ᾱ at the kept timesteps, recomputes β from them, maps the model timestep to the original t', () => {
    const r = respaceGaussianProcess(base, [10]);
    // improved-diffusion space_timesteps(2000, [10])
    const kept = [0, 222, 444, 666, 888, 1111, 1333, 1555, 1777, 1999];
    expect(Array.from(r.schedule.timestepMap)).toEqual(kept);
    expect(r.numTimesteps).toBe(10);
    expect(r.schedule.originalNumTimesteps).toBe(2000);
    const tb = r.schedule.tables;
    kept.forEach((s, k) => {
      expect(tb.alphasCumprod[k]).toBeCloseTo(abBase[s]!, 14);
      const prev = k === 0 ? 1 : abBase[kept[k - 1]!]!;
      expect(tb.betas[k]).toBeCloseTo(1 - abBase[s]! / prev, 14);
      // ᾱ' of the short chain is the kept predecessor's ᾱ (what DDIM and the posterior use)
      expect(tb.alphasCumprodPrev[k]).toBeCloseTo(prev, 14);
    });
    // posterior variance of the short chain: β'_k (1 − ᾱ_{k−1}) / (1 − ᾱ_k)
    expect(tb.posteriorVariance[5]).toBeCloseTo(
      (tb.betas[5]! * (1 - tb.alphasCumprod[4]!)) / (1 - tb.alphasCumprod[5]!),
      14,
    );
    expect(Array.from(r.modelTimesteps([9, 0, 4]))).toEqual([999.5, 0, 444]);
    expect(r.coefDtype).toBe('float64');
    expect(r.rescaleTimesteps).toBe(true);
  });

  it('"ddimN" strides: ddim10 of 2000 keeps every 200th step; a respaced process cannot be respaced again', () => {
    const r = respaceGaussianProcess(
      GaussianEmbeddingProcess.named('cosine', 2000, { rescaleTimesteps: false }),
      'ddim10',
    );
    expect(Array.from(r.schedule.timestepMap)).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800]);
    expect(r.schedule.name).toBe('cosine');
    expect(Array.from(r.modelTimesteps([9]))).toEqual([1800]);
    expect(() => respaceGaussianProcess(r, 'ddim5')).toThrow(/respaceGaussianProcess: respacing.*already respaced/);
  });
});
