// `denoiser`: ddpm_cache's updates (ancestral, p(x0) reused while no token changed) with the
// analytic family's final step: the last masks are filled by a draw of the Tweedie denoiser at
// t = eps (kuleshov-group/mdlm:diffusion.py:_denoiser_update, mask column zeroed) instead of
// ddpm's argmax. Same network calls as ddpm_cache; the last step is a sample, not a mode.
import { denoiserUpdate } from './analytic.ts';
import { ddpmCacheSampler } from './ddpm-cache.ts';
import type { MdlmSampler } from './sampler.ts';

export const denoiserSampler: MdlmSampler = {
  step: ddpmCacheSampler.step,
  final: (ctx, x, t, draw) => denoiserUpdate(ctx, x, t, draw.uniforms(x.data.length * ctx.vocabSize)).xNext,
};
