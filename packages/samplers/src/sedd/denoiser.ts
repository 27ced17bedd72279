// SEDD final denoising step (sampling.py:Denoiser.update_fn), run at t = eps after the predictor steps:
//   σ = σ̄(t);  score = exp(model(x, σ))
//   probs = staggered_score(score, σ) ⊙ transp_transition(x, σ)
//   absorbing: the mask column is dropped, so probs and the uniforms are [B, L, D − 1] and the mask
//   can never be sampled (a sample index ≥ mask maps back to index + 1; with SEDD's mask last that is
//   the identity).
import { sampleFromUniforms, type Nd } from '@dlm/core';
import { checkTimes, checkX, scoreOf } from './score.ts';
import type { SeddSamplerContext, SeddStepResult } from './types.ts';

export function seddDenoiserStep(
  ctx: SeddSamplerContext,
  x: Nd<Int32Array>,
  t: ArrayLike<number>,
  uniforms: ArrayLike<number>,
): SeddStepResult {
  const op = 'seddDenoiserStep';
  const [b, l] = checkX(op, ctx, x);
  const tt = checkTimes(op, t, b);
  const { graph } = ctx;
  const D = graph.dim;
  const sigma = tt.map((v) => ctx.noise.totalNoise(v));
  const score = scoreOf(op, ctx, x, sigma);
  const stag = graph.staggeredScore({ data: score, shape: [b, l, D] }, sigma).data;
  const trans = graph.transpTransition(x, sigma).data;
  const drop = graph.absorb && graph.maskIndex !== null ? graph.maskIndex : -1;
  const W = drop >= 0 ? D - 1 : D;
  const probs = new Float64Array(b * l * W);
  for (let p = 0; p < b * l; p++) {
    let w = 0;
    for (let v = 0; v < D; v++) {
      if (v === drop) continue;
      probs[p * W + w++] = stag[p * D + v]! * trans[p * D + v]!;
    }
  }
  const probsNd = { data: probs, shape: [b, l, W] };
  const sampled = sampleFromUniforms(probsNd, { data: uniforms, shape: [b, l, W] });
  const xNext = drop >= 0 ? { data: sampled.data.map((v) => (v >= drop ? v + 1 : v)), shape: sampled.shape } : sampled;
  return { xNext, probs: probsNd, sigma, nfe: 1 };
}
