// The GPT-2 slot (`model: {name: gpt2, ...}`) with the knob names of the published config.json (Hugging Face
// GPT2Config: n_embd, n_layer, n_head, n_positions, n_inner, layer_norm_epsilon). Either the knobs build a
// randomly initialised model, or `init_from` names a checkpoint folder (config.json + model.safetensors) whose
// config gives the sizes; knobs written next to `init_from` must agree with it.
import { z } from 'zod';

export const gpt2ModelSchema = z.strictObject({
  /** D (default 768, GPT-2 small). */
  n_embd: z.number().int().min(1).optional(),
  /** Blocks (default 12). */
  n_layer: z.number().int().min(1).optional(),
  /** Heads (default 12); a divisor of n_embd. */
  n_head: z.number().int().min(1).optional(),
  /** Rows of the position table = the longest context (default 1024). */
  n_positions: z.number().int().min(1).optional(),
  /** MLP width (default 4·n_embd). */
  n_inner: z.number().int().min(1).optional(),
  layer_norm_epsilon: z.number().gt(0).optional(),
  /** A published checkpoint folder (config.json + model.safetensors or a sharded index). */
  init_from: z.string().min(1).optional(),
});

export type Gpt2ModelConfig = z.output<typeof gpt2ModelSchema>;

/** GPT-2 small's sizes (the published `gpt2/config.json`). */
export const GPT2_DEFAULTS = { n_embd: 768, n_layer: 12, n_head: 12, n_positions: 1024, layer_norm_epsilon: 1e-5 };
