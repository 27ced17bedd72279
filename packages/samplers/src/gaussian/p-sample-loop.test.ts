import { describe, expect, it } from 'vitest';
import { Rng, type Nd } from '@dlm/core';
import { GaussianEmbeddingProcess, embedTokens } from '@dlm/processes';
import type { HostDenoiser } from './loop-common.ts';
import { gaussianSampleLoop } from './p-sample-loop.ts';
import { respaceGaussianProcess } from './respace.ts';

const B = 2,
  L = 4,
  D = 2;
const E = { data: Float64Array.of(0.6, 0.1, -0.4, 0.7, 0.2, -0.9), shape: [3, 2] };
const target = { data: Int32Array.of(2, 0, 1, 1, 0, 0, 2, 1), shape: [B, L] };
const xTarget = embedTokens(target, E);
// An oracle denoiser: always predicts the clean target embeddings.
const oracle: HostDenoiser = (x) => ({ data: Float64Array.from(xTarget.data), shape: x.shape });

describe('gaussianSampleLoop', () => {
  const p = GaussianEmbeddingProcess.named('sqrt', 12);

  it('calls the model once per step (NFE = T) with t·1000/T, and reproduces with the same seed', () => {
    const seen: number[] = [];
    const model: HostDenoiser = (x, modelT, t) => {
      seen.push(t[0]!, modelT[0]!);
      return oracle(x, modelT, t);
    };
    const a = gaussianSampleLoop(p, { shape: [B, L, D], model, rng: Rng.seeded(3) });
    expect(a.nfe).toBe(12);
    expect(seen.slice(0, 4)).toEqual([
      11,
      Math.fround(11 * Math.fround(1000 / 12)),
      10,
      Math.fround(10 * Math.fround(1000 / 12)),
    ]);
    // The final step has no noise, so compare the intermediate x_5.
    const at5 = (seed: number): number[] => {
      let kept: number[] = [];
      gaussianSampleLoop(p, {
        shape: [B, L, D],
        model: oracle,
        rng: Rng.seeded(seed),
        onStep: (t, x) => {
          if (t === 5) kept = Array.from(x.data);
        },
      });
      return kept;
    };
    expect(at5(3)).toHaveLength(B * L * D);
    expect(at5(3)).toEqual(at5(3));
    expect(at5(4)).not.toEqual(at5(3));
    expect(a.sample.shape).toEqual([B, L, D]);
  });

  it('with an oracle x0 the last step (t = 0, no noise) lands on the target embeddings', () => {
    const r = gaussianSampleLoop(p, { shape: [B, L, D], model: oracle, rng: Rng.seeded(1), roundTo: E });
    // posterior mean at t = 0: coef1_0 = 1, coef2_0 = 0 → exactly pred_x0 up to float32 coefficients.
    for (let i = 0; i < r.sample.data.length; i++) expect(r.sample.data[i]).toBeCloseTo(xTarget.data[i]!, 6);
  });

  it('keeps source positions at x_start throughout (DiffuSeq anchoring) and truncates noise with topP', () => {
    const mask = { data: Int32Array.of(0, 0, 1, 1, 0, 1, 1, 1), shape: [B, L] };
    const xStart: Nd = embedTokens({ data: Int32Array.of(1, 1, 0, 0, 2, 0, 0, 0), shape: [B, L] }, E);
    const firstX: Nd[] = [];
    const model: HostDenoiser = (x, m, t) => {
      if (firstX.length === 0) firstX.push(x);
      return oracle(x, m, t);
    };
    let checked = 0;
    gaussianSampleLoop(p, {
      shape: [B, L, D],
      model,
      rng: Rng.seeded(9),
      topP: 0.5,
      anchor: { mask, xStart },
      onStep: (_t, s) => {
        for (let pos = 0; pos < B * L; pos++)
          if (mask.data[pos] === 0)
            for (let d = 0; d < D; d++) {
              expect(s.data[pos * D + d]).toBe(xStart.data[pos * D + d]);
              checked++;
            }
      },
    });
    expect(checked).toBe(12 * 3 * D);
    for (let pos = 0; pos < B * L; pos++)
      if (mask.data[pos] === 0) expect(firstX[0]!.data[pos * D]).toBe(xStart.data[pos * D]);
    expect(() => gaussianSampleLoop(p, { shape: [B, L, D], model: oracle, rng: Rng.seeded(1), topP: 0.01 })).toThrow(
      /gaussian\.sampleLoop: topP/,
    );
  });

  it('respacing (SpacedDiffusion): one call per kept timestep, the model sees the original t; the oracle still lands', () => {
    const seen: number[] = [];
    const model: HostDenoiser = (x, modelT, t) => {
      seen.push(t[0]!, modelT[0]!);
      return oracle(x, modelT, t);
    };
    const big = GaussianEmbeddingProcess.named('sqrt', 100, { coefDtype: 'float64' });
    const r = gaussianSampleLoop(big, { shape: [B, L, D], model, rng: Rng.seeded(4), respacing: 'ddim10' });
    expect(r.nfe).toBe(10);
    expect(r.timesteps).toEqual([90, 80, 70, 60, 50, 40, 30, 20, 10, 0]);
    // chain step 9 is the original t = 90, passed as 90·1000/100
    expect(seen.slice(0, 6)).toEqual([9, 900, 8, 800, 7, 700]);
    for (let i = 0; i < r.sample.data.length; i++) expect(r.sample.data[i]).toBeCloseTo(xTarget.data[i]!, 12);
    // The short chain's fixed_large variance at chain step 5 is its recomputed β'_5 = 1 − ᾱ_50/ᾱ_40.
    const ab = big.schedule.tables.alphasCumprod;
    let sd = 0;
    gaussianSampleLoop(big, {
      shape: [1, 1, 1],
      model: (x) => ({ data: new Float64Array(1), shape: [...x.shape] }), // x̂0 = 0: x_{k−1} = coef2·x_k + σ·z
      rng: Rng.seeded(8),
      respacing: 'ddim10',
      onStep: (k, s) => {
        if (k === 5) sd = s.data[0]!;
      },
    });
    // Replay the same draws: x_T, then one z per step.
    const rr = Rng.seeded(8);
    let xk = rr.normal();
    const spaced = respaceGaussianProcess(big, 'ddim10').schedule.tables;
    const kept = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90];
    for (let k = 9; k >= 5; k--) {
      const a = ab[kept[k]!]!;
      const ap = ab[kept[k - 1]!]!;
      const beta = 1 - a / ap;
      expect(beta).toBeCloseTo(spaced.betas[k]!, 14);
      const coef2 = ((1 - ap) * Math.sqrt(1 - beta)) / (1 - a);
      xk = coef2 * xk + Math.sqrt(beta) * rr.normal();
    }
    expect(sd).toBeCloseTo(xk, 10);
  });

  it('rounds only where roundWhen says so (DiffuSeq clamp_step)', () => {
    const rounded: number[] = [];
    const offset: HostDenoiser = (x) => ({ data: xTarget.data.map((v) => v + 0.05), shape: x.shape });
    gaussianSampleLoop(p, {
      shape: [B, L, D],
      model: offset,
      rng: Rng.seeded(2),
      roundTo: E,
      roundWhen: (t) => t <= 3,
      onStep: (t, _s, pred) => {
        if (Math.abs(pred.data[0]! - xTarget.data[0]!) < 1e-12) rounded.push(t);
      },
    });
    expect(rounded).toEqual([3, 2, 1, 0]);
  });
});
