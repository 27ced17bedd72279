// Knobs of the MDLM family slot, named as in kuleshov-group/mdlm's configs (config.yaml:
// `T`, `time_conditioning`, `training.antithetic_sampling`, `training.sampling_eps`).
import { z } from 'zod';

export const mdlmFamilySchema = z.strictObject({
  /** 0 = continuous-time NELBO; T > 0 = discrete-time loss with T steps (D3PM-style). */
  T: z.number().int().min(0).default(0),
  /** false (MDLM default): the backbone gets σ = 0, so ddpm_cache may reuse p(x0). */
  time_conditioning: z.boolean().default(false),
  /** Stratified times t_b = (u/B + b/B) mod 1 across the batch. */
  antithetic_sampling: z.boolean().default(true),
  /** t = (1 − sampling_eps)·u + sampling_eps. */
  sampling_eps: z.number().gt(0).lt(1).default(1e-3),
  /** Final time of the sampler (MDLM `sampling.eps` default 1e-5). */
  sampling_final_eps: z.number().gt(0).lt(1).default(1e-5),
  /** MDLM `sampling.noise_removal`: a last denoising step at t = eps. */
  noise_removal: z.boolean().default(true),
  /**
   * Semi-AR sampling beyond model.length: tokens added per stride (MDLM `sampling.stride_length`); default model.length
   * / 2.
   */
  stride_length: z.number().int().min(1).optional(),
});

export type MdlmFamilyConfig = z.output<typeof mdlmFamilySchema>;
