// What an MDLM sampler is: one update of the loop and its own final (noise-removal) step, so the
// loop in sample.ts never branches on a sampler's name (a new sampler is one file + one line in
// registry.ts). kuleshov-group/mdlm:diffusion.py:Diffusion._sample picks both by
// `sampling.predictor`; here each registry entry carries them.
import { argmaxRows, type Nd, type Rng } from '@dlm/core';
import { denoise } from './subs.ts';
import type { MdlmStepContext } from './types.ts';

export interface MdlmSamplerState {
  x: Nd<Int32Array>;
  /** ddpm_cache: p_θ(x0 | x) still valid for x. */
  cache?: Float64Array | undefined;
}

/** One update of the loop: returns the new state and the backbone calls it made. */
export type MdlmStepper = (
  ctx: MdlmStepContext,
  state: MdlmSamplerState,
  t: Float64Array,
  dt: number,
  uniforms: Float64Array,
) => { state: MdlmSamplerState; nfe: number };

/**
 * The noise-removal step at t = eps [B]: the last tokens [B, L] (one backbone call). It may draw
 * from `draw` (the loop's categorical stream, right after the last update's uniforms).
 */
export type MdlmFinalStep = (ctx: MdlmStepContext, x: Nd<Int32Array>, t: Float64Array, draw: Rng) => Nd<Int32Array>;

export interface MdlmSampler {
  step: MdlmStepper;
  final: MdlmFinalStep;
}

/** MDLM's default noise removal (ddpm, ddpm_cache): x = argmax SUBS(backbone(x, σ(eps))). */
export const argmaxFinal: MdlmFinalStep = (ctx, x, t) => {
  const lp = denoise(
    ctx,
    x,
    t.map((v) => ctx.noise.totalNoise(v)),
  ); // [B, L, V]
  return { data: argmaxRows(lp, ctx.vocabSize), shape: [...x.shape] };
};
