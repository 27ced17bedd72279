// MDLM's analytic (Tweedie τ-leaping) update and final denoiser, through the SUBS score
// (kuleshov-group/mdlm:diffusion.py:_analytic_update, _denoiser_update, get_score):
//   analytic: Δ = σ(t) − σ(t − dt);  probs = staggered(score(x, σ(t)), Δ) ⊙ transp_transition(x, Δ)
//   denoiser: Δ = σ(t) (t = eps);     same probs, then probs[..., mask] = 0 (V columns kept)
// x_next is a sample of probs at every position (unmasked rows put all mass on x itself).
// The staggered score and transposed transition are SEDD's absorbing-graph operations
// (@dlm/processes absorbingGraph) with the mask at MDLM's mask column.
import { sampleFromUniforms, type Nd } from '@dlm/core';
import { absorbingGraph } from '@dlm/processes';
import { checkStep } from './common.ts';
import { subsScore } from './score.ts';
import { denoise } from './subs.ts';
import type { MdlmSampler } from './sampler.ts';
import type { MdlmStepContext } from './types.ts';

export interface AnalyticUpdateResult {
  xNext: Nd<Int32Array>;
  /** [B, L, V] the unnormalised distribution sampled. */
  probs: Float64Array;
  nfe: number;
}

function tweedie(
  ctx: MdlmStepContext,
  x: Nd<Int32Array>,
  sigma: Float64Array,
  dsigma: Float64Array,
  uniforms: ArrayLike<number>,
  dropMask: boolean,
): AnalyticUpdateResult {
  const [b, l] = x.shape as [number, number];
  const V = ctx.vocabSize;
  const score = subsScore(denoise(ctx, x, sigma), x, sigma, ctx.maskIndex);
  const graph = absorbingGraph({ dim: V, maskIndex: ctx.maskIndex });
  const stag = graph.staggeredScore({ data: score, shape: [b, l, V] }, dsigma).data; // [B, L, V]
  const trans = graph.transpTransition(x, dsigma).data; // [B, L, V]
  const probs = new Float64Array(stag.length);
  for (let i = 0; i < probs.length; i++) probs[i] = stag[i]! * trans[i]!;
  if (dropMask) for (let p = 0; p < b * l; p++) probs[p * V + ctx.maskIndex] = 0;
  const xNext = sampleFromUniforms({ data: probs, shape: [b, l, V] }, { data: uniforms, shape: [b, l, V] });
  return { xNext: { data: xNext.data, shape: [b, l] }, probs, nfe: 1 };
}

/** @param t [B] current time; @param stepSize dt; @param uniforms [B, L, V] */
export function analyticUpdate(
  ctx: MdlmStepContext,
  x: Nd<Int32Array>,
  t: ArrayLike<number>,
  stepSize: number,
  uniforms: ArrayLike<number>,
): AnalyticUpdateResult {
  checkStep('mdlm.analyticUpdate', ctx, x, t, uniforms);
  const sigma = Float64Array.from(t as ArrayLike<number>, (v) => ctx.noise.totalNoise(v));
  const next = Float64Array.from(t as ArrayLike<number>, (v) => ctx.noise.totalNoise(v - stepSize));
  const dsigma = sigma.map((s, i) => s - next[i]!);
  return tweedie(ctx, x, sigma, dsigma, uniforms, false);
}

/** The final denoising step at t (MDLM: eps = 1e-5): Δ = σ(t), mask column zeroed. */
export function denoiserUpdate(
  ctx: MdlmStepContext,
  x: Nd<Int32Array>,
  t: ArrayLike<number>,
  uniforms: ArrayLike<number>,
): AnalyticUpdateResult {
  checkStep('mdlm.denoiserUpdate', ctx, x, t, uniforms);
  const sigma = Float64Array.from(t as ArrayLike<number>, (v) => ctx.noise.totalNoise(v));
  return tweedie(ctx, x, sigma, Float64Array.from(sigma), uniforms, true);
}

/** `analytic`: Tweedie τ-leaping every step, the denoiser update (a draw, mask excluded) as noise removal. */
export const analyticSampler: MdlmSampler = {
  step: (ctx, s, t, dt, u) => {
    const r = analyticUpdate(ctx, s.x, t, dt, u);
    return { state: { x: r.xNext }, nfe: r.nfe };
  },
  final: (ctx, x, t, draw) => denoiserUpdate(ctx, x, t, draw.uniforms(x.data.length * ctx.vocabSize)).xNext,
};
