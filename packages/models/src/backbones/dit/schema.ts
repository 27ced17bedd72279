// The DiT slot (`model: {name: dit, ...}`) with MDLM's `configs/model/*.yaml` names
// (kuleshov-group/mdlm: hidden_size, cond_dim, n_heads, n_blocks, length, dropout).
import { z } from 'zod';

export const ditModelSchema = z.strictObject({
  hidden_size: z.number().int().min(1).default(768),
  cond_dim: z.number().int().min(1).default(128),
  n_heads: z.number().int().min(1).default(12),
  n_blocks: z.number().int().min(1).default(12),
  /** Sequence length the model is trained at (`model.length`). */
  length: z.number().int().min(1).default(1024),
  /** Dropout on the attention-output and MLP branches during training (MDLM model.dropout). */
  dropout: z.number().min(0).lt(1).default(0.1),
  /** Weight init: 'reference' = SEDD/MDLM's own (zeroed adaLN and output layer). */
  init: z.enum(['reference', 'random']).default('reference'),
});

export type DitModelConfig = z.output<typeof ditModelSchema>;
