// The DiT slot (`model: {name: dit, ...}`) with MDLM's `configs/model/*.yaml` names
// (kuleshov-group/mdlm: hidden_size, cond_dim, n_heads, n_blocks, length, dropout). Either the knobs build a
// randomly initialised network (absent knobs = MDLM's `small` config, DIT_SMALL), or `init_from` names a SEDD or
// MDLM checkpoint folder (config.json + model.safetensors or a sharded index, F32/F16/BF16) whose config gives the
// sizes; knobs written next to `init_from` must agree with it.
import { z } from 'zod';

export const ditModelSchema = z.strictObject({
  hidden_size: z.number().int().min(1).optional(),
  cond_dim: z.number().int().min(1).optional(),
  n_heads: z.number().int().min(1).optional(),
  n_blocks: z.number().int().min(1).optional(),
  /** Sequence length the model is trained at (`model.length`; MDLM config.json `model_length`). */
  length: z.number().int().min(1).optional(),
  /** Dropout on the attention-output and MLP branches during training (MDLM model.dropout). */
  dropout: z.number().min(0).lt(1).optional(),
  /** Weight init: 'reference' = SEDD/MDLM's own (zeroed adaLN and output layer); not used with `init_from`. */
  init: z.enum(['reference', 'random']).optional(),
  /** A SEDD (hydra config) or MDLM (`model_type: "mdlm"`) checkpoint folder to start from. */
  init_from: z.string().min(1).optional(),
});

export type DitModelConfig = z.output<typeof ditModelSchema>;

/** MDLM configs/model/small.yaml: the sizes of a slot that names none. */
export const DIT_SMALL = {
  hidden_size: 768,
  cond_dim: 128,
  n_heads: 12,
  n_blocks: 12,
  length: 1024,
  dropout: 0.1,
  init: 'reference',
} as const;
