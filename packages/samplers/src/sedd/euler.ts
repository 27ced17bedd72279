// SEDD Euler predictor (sampling.py:EulerPredictor.update_fn):
//   σ, dσ = noise(t) (dσ = rate dσ̄/dt);  score = exp(model(x, σ))                       [B, L, D]
//   probs = one_hot(x) + (dt·dσ)·reverse_rate(x, score)                (graph.sample_rate; unnormalised)
//   x_next = argmax probs / (1e-10 − log(u + 1e-10))                   (core sampleFromUniforms)
import { sampleFromUniforms, type Nd } from '@dlm/core';
import { checkStepSize, checkTimes, checkX, scoreOf } from './score.ts';
import type { SeddSamplerContext, SeddStepResult } from './types.ts';

export function seddEulerStep(
  ctx: SeddSamplerContext,
  x: Nd<Int32Array>,
  t: ArrayLike<number>,
  dt: number,
  uniforms: ArrayLike<number>,
): SeddStepResult {
  const op = 'seddEulerStep';
  const [b, l] = checkX(op, ctx, x);
  checkStepSize(op, 'dt', dt);
  const tt = checkTimes(op, t, b);
  const D = ctx.graph.dim;
  const sigma = tt.map((v) => ctx.noise.totalNoise(v));
  const rate = tt.map((v) => ctx.noise.rate(v));
  const score = scoreOf(op, ctx, x, sigma);
  const rr = ctx.graph.reverseRate(x, { data: score, shape: [b, l, D] }).data;
  const probs = new Float64Array(b * l * D);
  for (let r = 0; r < b; r++) {
    const scale = dt * rate[r]!;
    for (let p = r * l; p < (r + 1) * l; p++) {
      for (let v = 0; v < D; v++) probs[p * D + v] = (v === x.data[p] ? 1 : 0) + scale * rr[p * D + v]!;
    }
  }
  const probsNd = { data: probs, shape: [b, l, D] };
  const xNext = sampleFromUniforms(probsNd, { data: uniforms, shape: [b, l, D] });
  return { xNext, probs: probsNd, sigma, rate, nfe: 1 };
}
