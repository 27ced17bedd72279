// The causal DiT slot (`model: {name: causal-dit, ...}`) with the knob names of MDLM's
// configs/model/small-ar.yaml (kuleshov-group/mdlm@c112c526: hidden_size, cond_dim, n_heads, n_blocks, length,
// dropout; `causal: true` is what this backbone is).
import { z } from 'zod';

export const causalDitModelSchema = z.strictObject({
  hidden_size: z.number().int().min(1).default(768),
  /** Accepted for configs copied from small-ar.yaml; unused (the AR model has no time conditioning). */
  cond_dim: z.number().int().min(1).optional(),
  n_heads: z.number().int().min(1).default(12),
  n_blocks: z.number().int().min(1).default(12),
  /** The longest sequence (`model.length`): the AR input [BOS, x_0 … x_{L−2}] has the block's length. */
  length: z.number().int().min(1).default(1024),
  /** Dropout on the attention-output and MLP branches during training (MDLM model.dropout). */
  dropout: z.number().min(0).lt(1).default(0.1),
  /** Weight init: 'reference' = MDLM's own (zeroed output layer), 'random' = all weights drawn. */
  init: z.enum(['reference', 'random']).default('reference'),
});

export type CausalDitModelConfig = z.output<typeof causalDitModelSchema>;
