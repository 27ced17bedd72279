// The resolved sizes of an embedding transformer: the slot's knobs with every default filled in and the
// cross-knob rules checked (heads divide the width, the position table covers seq_len).
import { ConfigError, brief } from '@dlm/core';
import { embeddingTransformerModelSchema, type EmbeddingTransformerModelConfig } from './schema.ts';

export interface EmbeddingTransformerOptions {
  /** V: rows of word_embedding = width of the rounding logits (specials included). */
  vocabSize: number;
  /** d (`hidden_dim`). */
  embeddingDim: number;
  /** `hidden_t_dim`. */
  timeDim: number;
  /** `seq_len`: the longest input. */
  seqLen: number;
  /** H (`hidden_size`). */
  hidden: number;
  layers: number;
  heads: number;
  /** `intermediate_size`. */
  intermediate: number;
  /** Rows of position_embeddings. */
  maxPositions: number;
  layerNormEps: number;
  /** hidden_dropout_prob. */
  dropout: number;
  attentionDropout: number;
  activation: 'gelu' | 'gelu_new';
  logitsMode: 1 | 2;
  /** d ≠ H: input_up_proj / output_down_proj exist (DiffuSeq builds them only then; Diffusion-LM always). */
  projections: boolean;
}

const OP = 'embedding-transformer backbone';

/** Knobs (without `name`) → options; throws ConfigError naming the `model.` knob at fault. */
export function resolveEmbeddingTransformerOptions(
  config: Record<string, unknown> | EmbeddingTransformerModelConfig,
  vocabSize: number,
): EmbeddingTransformerOptions {
  const m = embeddingTransformerModelSchema.parse(config);
  if (m.hidden_size % m.num_attention_heads !== 0) {
    const expected = `a divisor of hidden_size (${m.hidden_size})`;
    throw new ConfigError({ op: OP, arg: 'model.num_attention_heads', expected, got: brief(m.num_attention_heads) });
  }
  const maxPositions = m.max_position_embeddings ?? m.seq_len;
  if (maxPositions < m.seq_len) {
    const expected = `at least seq_len (${m.seq_len}) rows`;
    throw new ConfigError({ op: OP, arg: 'model.max_position_embeddings', expected, got: brief(maxPositions) });
  }
  if (!(Number.isInteger(vocabSize) && vocabSize >= 1))
    throw new ConfigError({ op: OP, arg: 'vocabSize', expected: 'an integer ≥ 1', got: brief(vocabSize) });
  return {
    vocabSize,
    embeddingDim: m.hidden_dim,
    timeDim: m.hidden_t_dim,
    seqLen: m.seq_len,
    hidden: m.hidden_size,
    layers: m.num_hidden_layers,
    heads: m.num_attention_heads,
    intermediate: m.intermediate_size ?? 4 * m.hidden_size,
    maxPositions,
    layerNormEps: m.layer_norm_eps,
    dropout: m.dropout,
    attentionDropout: m.attention_probs_dropout_prob,
    activation: m.hidden_act,
    logitsMode: m.logits_mode,
    projections: m.hidden_dim !== m.hidden_size,
  };
}
