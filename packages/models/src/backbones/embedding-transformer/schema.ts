// The embedding-transformer slot (`model: {name: embedding-transformer, ...}`): the Diffusion-LM / DiffuSeq
// denoiser, with DiffuSeq's knob names (Shark-NLP/DiffuSeq diffuseq/config.json @8bfafcb: hidden_dim,
// hidden_t_dim, seq_len, dropout) for the embedding side and bert-base-uncased's config.json names (hidden_size,
// num_hidden_layers, num_attention_heads, intermediate_size, max_position_embeddings, layer_norm_eps,
// attention_probs_dropout_prob, hidden_act) for the BertEncoder both references build from that config.
// Defaults are DiffuSeq's (config.json) and bert-base-uncased's, except max_position_embeddings (bert: 512),
// which defaults to seq_len so that a small model does not carry unused position rows.
import { z } from 'zod';

export const EMBEDDING_TRANSFORMER_ACTIVATIONS = ['gelu', 'gelu_new'] as const;

export const embeddingTransformerModelSchema = z.strictObject({
  /** d: width of the word embedding = of x_t and of the output (DiffuSeq hidden_dim; Diffusion-LM in_channel). */
  hidden_dim: z.number().int().min(1).default(128),
  /** Width of the sinusoidal timestep features (DiffuSeq hidden_t_dim; Diffusion-LM model_channels). */
  hidden_t_dim: z.number().int().min(2).default(128),
  /** The sequence length the model is trained at: the longest input it accepts. */
  seq_len: z.number().int().min(1).default(128),
  /** H: width of the encoder (BERT hidden_size). */
  hidden_size: z.number().int().min(1).default(768),
  num_hidden_layers: z.number().int().min(1).default(12),
  /** A divisor of hidden_size. */
  num_attention_heads: z.number().int().min(1).default(12),
  /** Width of each layer's feed-forward block (BERT intermediate_size); absent = 4·hidden_size. */
  intermediate_size: z.number().int().min(1).optional(),
  /** Rows of position_embeddings (≥ seq_len); absent = seq_len. */
  max_position_embeddings: z.number().int().min(1).optional(),
  layer_norm_eps: z.number().gt(0).default(1e-12),
  /** Dropout after the input LayerNorm and on both residual branches of every layer (BERT hidden_dropout_prob). */
  dropout: z.number().min(0).lt(1).default(0.1),
  /** Dropout on the attention probabilities (BERT's 0.1; DiffuSeq leaves it at the config's value). */
  attention_probs_dropout_prob: z.number().min(0).lt(1).default(0.1),
  /** 'gelu' = erf form (BERT); 'gelu_new' = tanh approximation (faster on wasm). */
  hidden_act: z.enum(EMBEDDING_TRANSFORMER_ACTIVATIONS).default('gelu'),
  /** Rounding logits: 1 = h·Eᵀ + lm_head.bias (both references' default); 2 = −‖h − E_v‖ (no bias). */
  logits_mode: z.union([z.literal(1), z.literal(2)]).default(1),
});

export type EmbeddingTransformerModelConfig = z.output<typeof embeddingTransformerModelSchema>;
