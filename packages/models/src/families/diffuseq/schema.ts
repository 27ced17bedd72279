// Knobs of the DiffuSeq family slot (`family: {name: diffuseq, ...}`): Diffusion-LM's (schema of
// ../diffusion-lm, DiffuSeq config.json names diffusion_steps / noise_schedule / clamp_step) plus classifier-free
// guidance (condition dropout `p_uncond` at training, `guidance_scale` w at sampling: guided = (1 + w)·cond −
// w·uncond) and MBR decoding (`mbr_candidates`: DiffuSeq decodes several seeds and keeps the minimum-Bayes-risk
// candidate; 1 = off). Shark-NLP/DiffuSeq @20a7ab1 (train.py / sample_seq2seq.py / scripts/eval_seq2seq.py).
import { z } from 'zod';
import { diffusionLmFamilySchema } from '../diffusion-lm/schema.ts';

export const diffuseqFamilySchema = diffusionLmFamilySchema.safeExtend({
  /** Probability that a training row's source is replaced by the null condition (classifier-free guidance). */
  p_uncond: z.number().min(0).lt(1).default(0),
  /** w of classifier-free guidance at sampling (0 = the conditional model only). Needs p_uncond > 0 in training. */
  guidance_scale: z.number().min(0).default(0),
  /** Candidates per source for MBR decoding in `dlm eval` (1 = one decode, no MBR). */
  mbr_candidates: z.number().int().min(1).default(1),
});

export type DiffuseqFamilyConfig = z.output<typeof diffuseqFamilySchema>;
