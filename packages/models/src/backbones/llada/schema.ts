// The LLaDA slot (`model: {name: llada, ...}`) with the published config.json names
// (GSAI-ML/LLaDA-8B-Base: d_model, n_heads, n_kv_heads, n_layers, mlp_hidden_size, rms_norm_eps,
// rope_theta, max_sequence_length, init_std). Either the knobs build a randomly initialised model
// (absent knobs = LLaDA-8B's values, LLADA_8B), or `init_from` names a checkpoint folder in the
// published layout (config.json + model.safetensors or a sharded index, F32/F16/BF16) whose
// config gives the sizes; knobs written next to `init_from` must agree with it. The vocabulary
// (`embedding_size`) comes from the tokenizer, as for every backbone.
import { z } from 'zod';

export const lladaModelSchema = z.strictObject({
  d_model: z.number().int().min(1).optional(),
  n_heads: z.number().int().min(1).optional(),
  /** Absent = n_heads (no grouped-query attention). */
  n_kv_heads: z.number().int().min(1).optional(),
  n_layers: z.number().int().min(1).optional(),
  mlp_hidden_size: z.number().int().min(1).optional(),
  rms_norm_eps: z.number().gt(0).optional(),
  rope_theta: z.number().gt(0).optional(),
  /** Longest sequence (LLaDA `max_sequence_length`). */
  max_sequence_length: z.number().int().min(1).optional(),
  /** Std of the normal init of every matrix (LLaDA `init_std`); not used with `init_from`. */
  init_std: z.number().gt(0).optional(),
  /** A published LLaDA checkpoint folder (config.json `model_type: "llada"` + weights) to start from. */
  init_from: z.string().min(1).optional(),
});

export type LladaModelConfig = z.output<typeof lladaModelSchema>;

/** LLaDA-8B-Base's config.json values: the sizes of a slot that names none. */
export const LLADA_8B = {
  d_model: 4096,
  n_heads: 32,
  n_layers: 32,
  mlp_hidden_size: 12288,
  rms_norm_eps: 1e-5,
  rope_theta: 500000,
  max_sequence_length: 4096,
  init_std: 0.02,
} as const;
