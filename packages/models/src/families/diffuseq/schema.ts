// Knobs of the DiffuSeq family slot (`family: {name: diffuseq, ...}`): Diffusion-LM's (schema of
// ../diffusion-lm, DiffuSeq config.json names diffusion_steps / noise_schedule / clamp_step) plus classifier-free
// guidance (condition dropout `p_uncond` at training, `guidance_scale` w at sampling: guided = (1 + w)·cond −
// w·uncond) and MBR decoding (`mbr_candidates`: DiffuSeq decodes several seeds and keeps the minimum-Bayes-risk
// candidate; 1 = off). Shark-NLP/DiffuSeq @20a7ab1 (train.py / sample_seq2seq.py / scripts/eval_seq2seq.py).
// AR-Diffusion's position-dependent time (`time_schedule: ar-diffusion`, with `end_point_scale`): microsoft/
// ProphetNet AR-diffusion config.yaml @7f91e55 calls the same choice schedule_sampler: uniform | xy_uniform and
// keeps end_point_scale (2.0) and gen_timesteps (= the sampling steps here).
import { z } from 'zod';
import { diffusionLmFamilySchema } from '../diffusion-lm/schema.ts';

export const diffuseqFamilySchema = diffusionLmFamilySchema
  .safeExtend({
    /** Probability that a training row's source is replaced by the null condition (classifier-free guidance). */
    p_uncond: z.number().min(0).lt(1).default(0),
    /** w of classifier-free guidance at sampling (0 = the conditional model only). Needs p_uncond > 0 in training. */
    guidance_scale: z.number().min(0).default(0),
    /** Candidates per source for MBR decoding in `dlm eval` (1 = one decode, no MBR). */
    mbr_candidates: z.number().int().min(1).default(1),
    /**
     * uniform: one timestep per row (DiffuSeq). ar-diffusion: AR-Diffusion's per-token time over the target, left
     * tokens less noisy, in training and sampling (sampling steps then count sentence steps: 1 … target + T).
     */
    time_schedule: z.enum(['uniform', 'ar-diffusion']).default('uniform'),
    /** AR-Diffusion's anchor point at position end_point_scale·N (> 1; the slope of the time line). */
    end_point_scale: z.number().gt(1).default(2),
  })
  .superRefine((f, ctx) => {
    // AR-Diffusion's jump uses its own posterior variance (p_skip_sample): the fixed_small switch would do nothing.
    if (f.time_schedule === 'ar-diffusion' && f.sigma_small) {
      const message = 'sigma_small has no effect with time_schedule ar-diffusion (its step has its own variance)';
      ctx.addIssue({ code: 'custom', path: ['sigma_small'], input: f.sigma_small, message });
    }
  });

export type DiffuseqFamilyConfig = z.output<typeof diffuseqFamilySchema>;
