// SEDD analytic (Tweedie τ-leaping) predictor (sampling.py:AnalyticPredictor.update_fn):
//   σ_cur = σ̄(t), σ_next = σ̄(t − dt), Δ = σ_cur − σ_next
//   score = exp(model(x, σ_cur))
//   probs = staggered_score(score, Δ) ⊙ transp_transition(x, Δ);  x_next ~ probs (Exp race with the uniforms)
import { sampleFromUniforms, type Nd } from '@dlm/core';
import { checkStepSize, checkTimes, checkX, previousTime, scoreOf } from './score.ts';
import type { SeddSamplerContext, SeddStepResult } from './types.ts';

export function seddAnalyticStep(
  ctx: SeddSamplerContext,
  x: Nd<Int32Array>,
  t: ArrayLike<number>,
  dt: number,
  uniforms: ArrayLike<number>,
): SeddStepResult {
  const op = 'seddAnalyticStep';
  const [b, l] = checkX(op, ctx, x);
  checkStepSize(op, 'dt', dt);
  const tt = checkTimes(op, t, b);
  const D = ctx.graph.dim;
  const sigma = tt.map((v) => ctx.noise.totalNoise(v));
  const nextSigma = tt.map((v) => ctx.noise.totalNoise(previousTime(v, dt)));
  const delta = sigma.map((s, r) => s - nextSigma[r]!);
  const rate = tt.map((v) => ctx.noise.rate(v)); // reported only (the reference's noise(t)[1])
  const score = scoreOf(op, ctx, x, sigma);
  const stag = ctx.graph.staggeredScore({ data: score, shape: [b, l, D] }, delta).data;
  const trans = ctx.graph.transpTransition(x, delta).data;
  const probs = new Float64Array(b * l * D);
  for (let k = 0; k < probs.length; k++) probs[k] = stag[k]! * trans[k]!;
  const probsNd = { data: probs, shape: [b, l, D] };
  const xNext = sampleFromUniforms(probsNd, { data: uniforms, shape: [b, l, D] });
  return { xNext, probs: probsNd, sigma, rate, delta, nextSigma, nfe: 1 };
}
