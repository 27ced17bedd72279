// @dlm/samplers: Sampler steps: SEDD euler/analytic/denoiser, MDLM ddpm/ddpm_cache/analytic, LLaDA remasking +
// generate and Fast-dLLM's cached / parallel generate, Gaussian p_sample and DDIM with respacing.
export type { BenchVariant } from './bench-variant.ts';
export * as llada from './llada/index.ts';
export * from './gaussian/index.ts';
export * as mdlm from './mdlm/index.ts';
export * as sedd from './sedd/index.ts';
