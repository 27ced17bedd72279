// Knobs of the LLaDA family slot, named as in ML-GSAI/LLaDA (GUIDELINES.md forward_process `eps`;
// generate.py `block_length`, `temperature`, `cfg_scale`). `eval.time_samples` of the experiment is
// LLaDA's `mc_num`: the Monte-Carlo draws of the likelihood bound per sequence.
import { z } from 'zod';

export const lladaFamilySchema = z.strictObject({
  /**
   * pretrain: loss Σ CE/p_mask over masked tokens ÷ (B·L) (GUIDELINES.md pre-training);
   * sft: needs `data.pairs`; prompt positions never masked, each row ÷ its answer length (EOS padding counted).
   */
  objective: z.enum(['pretrain', 'sft']).default('pretrain'),
  /** p_mask = (1 − eps)·t + eps, t ~ U(0, 1) per sequence. */
  eps: z.number().min(0).lt(1).default(1e-3),
  /** Pre-training: the fraction of batches cropped to a random length U{1..L} (LLaDA: 1%); 0 = off. */
  random_length_prob: z.number().min(0).max(1).default(0.01),
  /** Sampling: semi-AR block size (a divisor of the sample length); absent = the whole length (one block). */
  block_length: z.number().int().min(1).optional(),
  /** Sampling: 0 = greedy argmax; > 0 = Gumbel-max at that temperature (float64 noise). */
  temperature: z.number().min(0).default(0),
});

export type LladaFamilyConfig = z.output<typeof lladaFamilySchema>;
