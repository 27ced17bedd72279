// Knobs of the SEDD family slot, named as in louaaron/Score-Entropy-Discrete-Diffusion's
// configs (configs/config.yaml: `graph.type`, `training.sampling_eps`... ; model/*.yaml:
// `scale_by_sigma`; sampling: `noise_removal`). The predictor is not a family knob: it is the
// experiment's `sampling.predictor` (SEDD's own key), one of the family's samplers.
// Time conditioning is always on (SEDD's DDiT always gets σ), so there is no knob for it.
import { z } from 'zod';

export const seddFamilySchema = z.strictObject({
  /** SEDD `graph.type`: absorbing state = the mask (last id), or uniform over the whole vocabulary. */
  graph: z.enum(['absorb', 'uniform']).default('absorb'),
  /**
   * SEDD `model.scale_by_sigma`: shift the log score by −log(e^σ − 1) − log(V − 1). Absent = the
   * graph's own setting (absorb true, uniform false); true with the uniform graph is an error
   * (SEDD asserts `not (scale_by_sigma and graph.type == uniform)`).
   */
  scale_by_sigma: z.boolean().optional(),
  /** SEDD `training.sampling_eps`: t = (1 − sampling_eps)·u + sampling_eps. */
  sampling_eps: z.number().gt(0).lt(1).default(1e-3),
  /** SEDD `sampling.noise_removal`: a last denoiser step at t = sampling_final_eps. */
  noise_removal: z.boolean().default(true),
  /** Last time of the sampler grid (SEDD get_pc_sampler `eps`, default 1e-5). */
  sampling_final_eps: z.number().gt(0).lt(1).default(1e-5),
});

export type SeddFamilyConfig = z.output<typeof seddFamilySchema>;
