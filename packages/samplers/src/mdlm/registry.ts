// MDLM samplers by their reference names (kuleshov-group/mdlm `sampling.predictor`). Each entry
// owns its update and its final step (sampler.ts); the first one listed is not the default: the
// family declares its default (models families/mdlm).
import { Registry } from '@dlm/core';
import { analyticSampler } from './analytic.ts';
import { ddpmSampler } from './ddpm.ts';
import { ddpmCacheSampler } from './ddpm-cache.ts';
import { denoiserSampler } from './denoiser-sampler.ts';
import type { MdlmSampler } from './sampler.ts';

export const mdlmSamplers = new Registry<MdlmSampler>('mdlm sampler', [
  ['ddpm', ddpmSampler],
  ['ddpm_cache', ddpmCacheSampler],
  ['analytic', analyticSampler],
  ['denoiser', denoiserSampler],
]);
