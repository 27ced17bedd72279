// MDLM ancestral update (kuleshov-group/mdlm:diffusion.py:Diffusion._ddpm_update):
//   mc_t = 1 − e^{−σ(t)},  mc_s = 1 − e^{−σ(t − dt)}
//   q_xs = exp(SUBS(backbone(x)))·(mc_t − mc_s),  q_xs[..., mask] = mc_s;  sample; copy unmasked x.
// Float64 on the host; one backbone call (1 NFE).
import type { Nd } from '@dlm/core';
import { ancestralStep, checkStep } from './common.ts';
import { denoise } from './subs.ts';
import { argmaxFinal, type MdlmSampler } from './sampler.ts';
import type { MdlmStepContext } from './types.ts';

export interface DdpmUpdateResult {
  xNext: Nd<Int32Array>;
  /** [B, L, V] the unnormalised distribution sampled at masked positions. */
  qXs: Float64Array;
  moveChanceT: Float64Array;
  moveChanceS: Float64Array;
  nfe: number;
}

/**
 * @param t        [B] current time per row
 * @param dt       step size (s = t − dt)
 * @param uniforms [B, L, V] uniforms for the categorical draw
 */
export function ddpmUpdate(
  ctx: MdlmStepContext,
  x: Nd<Int32Array>,
  t: ArrayLike<number>,
  dt: number,
  uniforms: ArrayLike<number>,
): DdpmUpdateResult {
  checkStep('mdlm.ddpmUpdate', ctx, x, t, uniforms);
  const sigmaT = Float64Array.from(t as ArrayLike<number>, (v) => ctx.noise.totalNoise(v));
  const sigmaS = Float64Array.from(t as ArrayLike<number>, (v) => ctx.noise.totalNoise(v - dt));
  const moveChanceT = sigmaT.map((s) => 1 - Math.exp(-s)); // the reference's 1 − exp(−σ)
  const moveChanceS = sigmaS.map((s) => 1 - Math.exp(-s));
  const pX0 = denoise(ctx, x, sigmaT);
  for (let i = 0; i < pX0.length; i++) pX0[i] = Math.exp(pX0[i]!);
  const { qXs, xNext } = ancestralStep(pX0, x, moveChanceT, moveChanceS, ctx.maskIndex, uniforms);
  return { xNext, qXs, moveChanceT, moveChanceS, nfe: 1 };
}

/** `ddpm`: the ancestral update every step, argmax noise removal. */
export const ddpmSampler: MdlmSampler = {
  step: (ctx, s, t, dt, u) => {
    const r = ddpmUpdate(ctx, s.x, t, dt, u);
    return { state: { x: r.xNext }, nfe: r.nfe };
  },
  final: argmaxFinal,
};
