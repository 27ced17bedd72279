import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, assertAllClose, type Nd } from '@dlm/core';
import { GaussianEmbeddingProcess, embedTokens, pMeanVariance, roundToEmbedding } from '@dlm/processes';
import { clampStepRule } from './clamp-step.ts';
import { gaussianDdimLoop, gaussianDdimStep } from './ddim.ts';
import type { HostDenoiser } from './loop-common.ts';
import { gaussianPSample } from './p-sample.ts';
import { gaussianSampleLoop } from './p-sample-loop.ts';
import { respaceGaussianProcess } from './respace.ts';

const normals = (seed: number, n: number) => {
  const r = Rng.seeded(seed);
  return Float64Array.from({ length: n }, () => r.normal());
};

describe('gaussianDdimStep', () => {
  // One batch row per timestep: every t of the chain at once. [T, 1, 2]
  const rows = (T: number) => {
    const shape = [T, 1, 2];
    return {
      t: Array.from({ length: T }, (_, i) => i),
      x: { data: normals(1, 2 * T), shape },
      modelOutput: { data: normals(2, 2 * T).map((v) => 0.8 * v), shape },
      noise: { data: normals(3, 2 * T), shape },
    };
  };
  const cases = [
    ['sqrt', 2000],
    ['cosine', 100],
    ['linear', 100],
  ] as const;

  for (const [name, T] of cases) {
    it(`η = 1, no respacing (${name}, T = ${T}): mean, σ² and sample = the ancestral fixed_small step at every t`, () => {
      for (const coefDtype of ['float64', 'float32'] as const) {
        // float64 coefficients: the identity holds to rounding. float32 coefficients (the reference's cast):
        // DDIM reads ᾱ and ᾱ', the posterior its own coefficients, each rounded to float32 once (6e-8
        // relative); at the first steps 1 − ᾱ' and 1 − ᾱ/ᾱ' are ~1e-3 (linear T = 100: β_0 = 1e-3), which
        // amplifies that rounding to ~6e-4 relative (measured; the bound below leaves a 3× margin).
        const [rtol, atol] = coefDtype === 'float64' ? [1e-9, 1e-12] : [2e-3, 1e-6];
        const p = GaussianEmbeddingProcess.named(name, T, { coefDtype });
        const { t, x, modelOutput, noise } = rows(T);
        const d = gaussianDdimStep(p, { x, t, modelOutput, noise, eta: 1 });
        const mv = pMeanVariance(p, { x, t, modelOutput, varianceType: 'fixed_small' });
        const ps = gaussianPSample(p, { x, t, modelOutput, noise, varianceType: 'fixed_small' });
        const label = `${name} ${coefDtype}`;
        assertAllClose(`${label} mean`, d.mean.data, mv.mean.data, rtol, atol);
        assertAllClose(
          `${label} variance`,
          d.variance,
          t.map((_, b) => mv.variance.data[2 * b]!),
          rtol,
          atol,
        );
        assertAllClose(`${label} sample`, d.sample.data, ps.sample.data, rtol, atol);
        expect(d.variance[0]).toBe(0); // t = 0: ᾱ' = 1, no noise
        expect(Array.from(d.predXstart.data)).toEqual(Array.from(modelOutput.data));
      }
    });
  }

  it('η = 0: σ = 0 and the mean re-noises x̂0 with the ε implied by x_t; η interpolates σ linearly', () => {
    const p = GaussianEmbeddingProcess.named('sqrt', 50, { coefDtype: 'float64' });
    const shape = [2, 3, 2];
    const x = { data: normals(4, 12), shape };
    const modelOutput = { data: normals(5, 12), shape };
    const noise = { data: normals(6, 12), shape };
    const t = [17, 3];
    const d0 = gaussianDdimStep(p, { x, t, modelOutput, noise, eta: 0 });
    const d1 = gaussianDdimStep(p, { x, t, modelOutput, noise, eta: 1 });
    const dh = gaussianDdimStep(p, { x, t, modelOutput, noise, eta: 0.5 });
    const ab = p.schedule.tables.alphasCumprod;
    for (let i = 0; i < 12; i++) {
      const k = t[Math.floor(i / 6)]!;
      const eps = (x.data[i]! - Math.sqrt(ab[k]!) * modelOutput.data[i]!) / Math.sqrt(1 - ab[k]!);
      expect(d0.eps.data[i]).toBeCloseTo(eps, 12);
      expect(d0.sample.data[i]).toBeCloseTo(
        Math.sqrt(ab[k - 1]!) * modelOutput.data[i]! + Math.sqrt(1 - ab[k - 1]!) * eps,
        12,
      );
    }
    expect(Array.from(d0.variance)).toEqual([0, 0]);
    for (let b = 0; b < 2; b++) expect(dh.variance[b]).toBeCloseTo(0.25 * d1.variance[b]!, 15);
  });

  it('ε-parameterisation: x̂0 = sqrt(1/ᾱ)·x − sqrt(1/ᾱ − 1)·ε̂, and ε̂ comes back unchanged', () => {
    const p = GaussianEmbeddingProcess.named('sqrt', 40, { coefDtype: 'float64' });
    const shape = [1, 2, 2];
    const x = { data: normals(7, 4), shape };
    const eps = { data: normals(8, 4), shape };
    const d = gaussianDdimStep(p, { x, t: [21], modelOutput: eps, noise: eps, eta: 0, parameterization: 'eps' });
    const ab = p.schedule.tables.alphasCumprod[21]!;
    for (let i = 0; i < 4; i++) {
      expect(d.predXstart.data[i]).toBeCloseTo(
        Math.sqrt(1 / ab) * x.data[i]! - Math.sqrt(1 / ab - 1) * eps.data[i]!,
        12,
      );
      expect(d.eps.data[i]).toBeCloseTo(eps.data[i]!, 10);
    }
  });

  it('rejects η outside [0, 1] and noise of another size', () => {
    const p = GaussianEmbeddingProcess.named('sqrt', 10);
    const x = { data: new Float64Array(4), shape: [1, 2, 2] };
    const step =
      (eta: number, noise: Nd = x) =>
      () =>
        gaussianDdimStep(p, { x, t: [3], modelOutput: x, noise, eta });
    expect(step(1.5)).toThrow(ConfigError);
    expect(step(1.5)).toThrow(/gaussian\.ddimStep: eta.*\[0, 1\]/);
    expect(step(-0.1)).toThrow(/eta/);
    expect(step(0, { data: new Float64Array(3), shape: [1, 3, 1] })).toThrow(
      /gaussian\.ddimStep: x and noise.*\[1,2,2\] vs \[1,3,1\]/,
    );
  });
});

describe('gaussianDdimLoop', () => {
  const E = { data: Float64Array.of(0.6, 0.1, -0.4, 0.7, 0.2, -0.9), shape: [3, 2] };
  const target = { data: Int32Array.of(2, 0, 1, 1, 0, 0, 2, 1), shape: [2, 4] };
  const x0 = embedTokens(target, E);
  const oracle: HostDenoiser = (x) => ({ data: Float64Array.from(x0.data), shape: [...x.shape] });

  it('10 of T = 2000 ("ddim10"): NFE 10, original timesteps, η = 0 follows sqrt(ᾱ_k)·x0 + sqrt(1 − ᾱ_k)·ε_T to x0', () => {
    const p = GaussianEmbeddingProcess.named('sqrt', 2000, { coefDtype: 'float64' });
    const chain = respaceGaussianProcess(p, 'ddim10');
    const ab = chain.schedule.tables.alphasCumprod;
    const seen: { x: Nd; modelT: number; t: number }[] = [];
    const model: HostDenoiser = (x, modelT, t) => {
      seen.push({ x, modelT: modelT[0]!, t: t[0]! });
      return oracle(x, modelT, t);
    };
    const trajectory: [number, Nd][] = [];
    const r = gaussianDdimLoop(p, {
      shape: [2, 4, 2],
      model,
      rng: Rng.seeded(3),
      respacing: 'ddim10',
      onStep: (k, s) => trajectory.push([k, s]),
    });
    expect(r.nfe).toBe(10);
    expect(r.timesteps).toEqual([1800, 1600, 1400, 1200, 1000, 800, 600, 400, 200, 0]);
    expect(seen.map((s) => s.t)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    // rescale_timesteps: s·(1000/2000) in float32
    expect(seen.map((s) => s.modelT)).toEqual([900, 800, 700, 600, 500, 400, 300, 200, 100, 0]);
    const xT = seen[0]!.x.data;
    const epsT = xT.map((v, i) => (v - Math.sqrt(ab[9]!) * x0.data[i]!) / Math.sqrt(1 - ab[9]!));
    for (const [k, s] of trajectory) {
      const want =
        k === 0 ? x0.data : x0.data.map((v, i) => Math.sqrt(ab[k - 1]!) * v + Math.sqrt(1 - ab[k - 1]!) * epsT[i]!);
      assertAllClose(`x after step ${k}`, s.data, want, 1e-9, 1e-12);
    }
    expect(Array.from(r.sample.data)).toEqual(Array.from(x0.data));
    // improved-diffusion's section counts: space_timesteps(2000, "10") strides (2000 − 1)/9 and rounds.
    const sections = gaussianDdimLoop(p, { shape: [1, 1, 2], model: oracle0(), rng: Rng.seeded(1), respacing: '10' });
    expect(sections.timesteps).toEqual([1999, 1777, 1555, 1333, 1111, 888, 666, 444, 222, 0]);
    expect(sections.nfe).toBe(10);
  });

  /** An x0 model for a [1, 1, 2] batch. */
  function oracle0(): HostDenoiser {
    return (x) => ({ data: Float64Array.of(0.5, -0.5), shape: [...x.shape] });
  }

  it('η = 1 over the full chain = the ancestral loop with fixed_small, draw for draw', () => {
    const p = GaussianEmbeddingProcess.named('sqrt', 30, { coefDtype: 'float64' });
    const model: HostDenoiser = (x, modelT) => ({
      data: x.data.map((v, i) => 0.9 * Math.tanh(v) + 1e-3 * modelT[0]! * (i % 3)),
      shape: [...x.shape],
    });
    const o = { shape: [2, 4, 2] as const, model, topP: 0.8 };
    const ddim = gaussianDdimLoop(p, { ...o, eta: 1, rng: Rng.seeded(5) });
    const ancestral = gaussianSampleLoop(p, { ...o, varianceType: 'fixed_small', rng: Rng.seeded(5) });
    expect(ddim.nfe).toBe(30);
    expect(ancestral.nfe).toBe(30);
    assertAllClose('sample', ddim.sample.data, ancestral.sample.data, 1e-9, 1e-12);
    // and η = 0 does not
    const det = gaussianDdimLoop(p, { ...o, eta: 0, rng: Rng.seeded(5) });
    expect(Math.max(...det.sample.data.map((v, i) => Math.abs(v - ancestral.sample.data[i]!)))).toBeGreaterThan(1e-3);
  });

  it('clamp hook on x̂0 where clampWhen holds (DiffuSeq clamp_step); anchored source positions never move', () => {
    const p = GaussianEmbeddingProcess.named('sqrt', 12);
    const offset: HostDenoiser = (x) => ({ data: x0.data.map((v) => v + 0.05), shape: [...x.shape] });
    const hookSteps: number[] = [];
    const rounded: number[] = [];
    const mask = { data: Int32Array.of(0, 0, 1, 1, 0, 1, 1, 1), shape: [2, 4] };
    const xStart = embedTokens({ data: Int32Array.of(1, 1, 0, 0, 2, 0, 0, 0), shape: [2, 4] }, E);
    let anchoredChecks = 0;
    const r = gaussianDdimLoop(p, {
      shape: [2, 4, 2],
      model: offset,
      rng: Rng.seeded(2),
      eta: 0.5,
      clamp: (pred, k) => {
        hookSteps.push(k);
        return roundToEmbedding(pred, E).embeddings;
      },
      clampWhen: clampStepRule(3, false, 12),
      anchor: { mask, xStart },
      onStep: (k, s, pred) => {
        if (Math.abs(pred.data[4]! - x0.data[4]!) < 1e-12) rounded.push(k);
        for (let pos = 0; pos < 8; pos++)
          if (mask.data[pos] === 0)
            for (let dd = 0; dd < 2; dd++) {
              expect(s.data[pos * 2 + dd]).toBe(xStart.data[pos * 2 + dd]);
              anchoredChecks++;
            }
      },
    });
    expect(hookSteps).toEqual([3, 2, 1, 0]);
    expect(rounded).toEqual([3, 2, 1, 0]);
    expect(anchoredChecks).toBe(12 * 3 * 2);
    // Rounded at k = 0 with ᾱ' = 1: the sample is the rounded x̂0 at generated positions.
    for (let pos = 0; pos < 8; pos++)
      if (mask.data[pos] === 1)
        for (let dd = 0; dd < 2; dd++) expect(r.sample.data[pos * 2 + dd]).toBeCloseTo(x0.data[pos * 2 + dd]!, 12);
  });

  it('names bad options: η, a process respaced twice, an unreachable ddimN', () => {
    const p = GaussianEmbeddingProcess.named('sqrt', 2000);
    const o = { shape: [1, 1, 2] as const, model: oracle0(), rng: Rng.seeded(0) };
    expect(() => gaussianDdimLoop(p, { ...o, eta: 2 })).toThrow(/gaussian\.ddimLoop: eta/);
    const spaced = respaceGaussianProcess(p, 'ddim10');
    expect(() => gaussianDdimLoop(spaced, { ...o, respacing: 'ddim5' })).toThrow(
      /gaussian\.ddimLoop: respacing.*already respaced/,
    );
    expect(() => gaussianDdimLoop(p, { ...o, respacing: 'ddim3000' })).toThrow(/ddimN/);
    expect(() => gaussianDdimLoop(p, { ...o, topP: 0.01 })).toThrow(/gaussian\.ddimLoop: topP/);
  });
});
