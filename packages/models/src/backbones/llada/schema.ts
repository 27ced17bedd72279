// The LLaDA slot (`model: {name: llada, ...}`) with the published config.json names
// (GSAI-ML/LLaDA-8B-Base: d_model, n_heads, n_kv_heads, n_layers, mlp_hidden_size, rms_norm_eps,
// rope_theta, max_sequence_length, init_std). Defaults are LLaDA-8B's. The vocabulary
// (`embedding_size`) comes from the tokenizer, as for every backbone.
import { z } from 'zod';

export const lladaModelSchema = z.strictObject({
  d_model: z.number().int().min(1).default(4096),
  n_heads: z.number().int().min(1).default(32),
  /** Absent = n_heads (no grouped-query attention). */
  n_kv_heads: z.number().int().min(1).optional(),
  n_layers: z.number().int().min(1).default(32),
  mlp_hidden_size: z.number().int().min(1).default(12288),
  rms_norm_eps: z.number().gt(0).default(1e-5),
  rope_theta: z.number().gt(0).default(500000),
  /** Longest sequence (LLaDA `max_sequence_length`). */
  max_sequence_length: z.number().int().min(1).default(4096),
  /** Std of the normal init of every matrix (LLaDA `init_std`). */
  init_std: z.number().gt(0).default(0.02),
});

export type LladaModelConfig = z.output<typeof lladaModelSchema>;
