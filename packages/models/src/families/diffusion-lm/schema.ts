// Knobs of the Diffusion-LM family slot (`family: {name: diffusion-lm, ...}`), named as in
// XiangLi1999/Diffusion-LM's improved-diffusion scripts (`--diffusion_steps`, `--noise_schedule`,
// `--rescale_timesteps`, `--sigma_small`, `--clamp`) and Shark-NLP/DiffuSeq's config.json / sampling
// arguments (`clamp_step`, `clamp_first`); `eta` is DDIM's η (improved-diffusion ddim_sample) and
// `anchor_loss_weight` Difformer's anchor term. Both references predict x_0 (`predict_xstart`).
import { discreteBetaSchedules } from '@dlm/schedules';
import { z } from 'zod';

export const diffusionLmFamilySchema = z
  .strictObject({
    /** T: steps of the discrete-time chain (Diffusion-LM / DiffuSeq: 2000). */
    diffusion_steps: z.number().int().min(2).default(2000),
    /** A discrete β schedule of @dlm/schedules (Diffusion-LM's `sqrt` by default). */
    noise_schedule: z
      .string()
      .default('sqrt')
      .refine((n) => discreteBetaSchedules.has(n), {
        message: `not a discrete beta schedule: expected one of ${discreteBetaSchedules.names().join(', ')}`,
      }),
    /** The model sees t·1000/T (both references: true). */
    rescale_timesteps: z.boolean().default(true),
    /** Learn the word embedding with the denoiser (e2e, default) or keep it at its random init (fixed). */
    learned_embeddings: z.boolean().default(true),
    /** Ancestral sampling variance: false = fixed_large (both references' default), true = fixed_small. */
    sigma_small: z.boolean().default(false),
    /** 'clamp' = round x̂0 to the nearest word embedding while sampling (Diffusion-LM `--clamp clamp`); 'none'. */
    clamp: z.enum(['clamp', 'none']).default('clamp'),
    /** DiffuSeq clamp_step: with clamp_first round at chain steps ≥ clamp_step, else ≤ clamp_step (0 = every step). */
    clamp_step: z.number().int().min(0).default(0),
    clamp_first: z.boolean().default(true),
    /** DDIM's η (0 = deterministic DDIM, 1 = the fixed_small ancestral step). */
    eta: z.number().min(0).max(1).default(0),
    /** Difformer anchor loss: adds weight·CE(get_logits(x̂0), w) against embedding collapse (0 = off). */
    anchor_loss_weight: z.number().min(0).default(0),
  })
  .superRefine((f, ctx) => {
    if (f.clamp_step >= f.diffusion_steps) {
      const message = `clamp_step must be a chain step below diffusion_steps ${f.diffusion_steps}`;
      ctx.addIssue({ code: 'custom', path: ['clamp_step'], input: f.clamp_step, message });
    }
  });

export type DiffusionLmFamilyConfig = z.output<typeof diffusionLmFamilySchema>;
